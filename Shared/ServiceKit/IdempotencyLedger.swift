import Postgres

/// "Have I already applied this message?", answered inside the handler's own transaction so
/// that the effects and the record of them commit together.
extension Migration {
    /// The `processed_messages` table of a service's schema; every service's first migration.
    public static func idempotencyLedger(schema: String) -> Migration {
        Migration(version: 1, name: "processed messages ledger", statements: [
            """
            CREATE TABLE \(schema).processed_messages (
                consumer text NOT NULL,
                message_id text NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer, message_id))
            """,
        ])
    }
}

extension PostgresConnection {
    /// Records that `consumer` has processed `messageId`; returns false if it already had.
    /// Call it first inside the transaction that applies the message's effects.
    public func recordFirstDelivery(schema: String, consumer: String, messageId: String) throws -> Bool {
        let rows = try query(
            "INSERT INTO \(schema).processed_messages (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            consumer, messageId)
        return rows.affectedRows == 1
    }
}
