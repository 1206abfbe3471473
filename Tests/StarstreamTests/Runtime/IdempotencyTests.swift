import Foundation
import Postgres
import Redis
import ServiceKit
import Streams
import Testing

@Suite("Idempotent handlers: the ledger and the effect commit together")
struct IdempotencyTests {
    @Test("the same messages delivered twice (republished after a crash) apply their effect once")
    func duplicatesApplyOnce() async throws {
        let schema = uniqueName("ledger")
        let pool = PostgresPool(url: TestServers.databaseURL, size: 4)
        let effects = Migration(version: 2, name: "effects", statements: [
            "CREATE TABLE \(schema).effects (key text PRIMARY KEY, applied int NOT NULL)",
        ])
        _ = try await SchemaMigrator(schema: schema, migrations: [.idempotencyLedger(schema: schema), effects]).migrate(pool)
        let redis = try await RedisConnection.connect(RedisConfiguration(url: TestServers.redisURL))
        let stream = uniqueName("ledger")

        let worker = StreamWorker(
            configuration: WorkerConfiguration(stream: stream, group: "g", consumer: "a", blockTime: .milliseconds(100)),
            redis: try RedisConfiguration(url: TestServers.redisURL), logger: quietLogger
        ) { delivery in
            let key = delivery.envelope.id
            try await pool.transaction { connection in
                guard try connection.recordFirstDelivery(schema: schema, consumer: "g", messageId: key) else { return }
                try connection.query(
                    "INSERT INTO \(schema).effects VALUES ($1, 1) ON CONFLICT (key) DO UPDATE SET applied = effects.applied + 1", key)
            }
        }
        try await publish(50, on: stream, redis: redis)
        try await publish(50, on: stream, redis: redis)
        try await withWorkers([worker]) {
            try await eventually("100 deliveries handled") { worker.status.processed == 100 }
        }
        let rows = try await pool.query("SELECT key, applied FROM \(schema).effects")
        #expect(rows.count == 50)
        #expect(try rows.allSatisfy { try $0.decode("applied", as: Int.self) == 1 })
    }
}
