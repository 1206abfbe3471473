import BlockingIO
import Contracts
import Foundation
import Postgres

/// The trainer's record of what it has exported to MLflow: one row per model version, added
/// when the exporter first looks (so versions trained before MLflow was configured are
/// exported too), claimed for a lease while one replica exports it.
extension TrainerStore {
    /// One model version to export, with what MLflow is to receive.
    struct MLflowPending: Sendable {
        var announcement: ModelTrained
        var evaluation: String
        var artifact: String
        var session: TrainingSession?
        /// The run an earlier, interrupted attempt created: continued, not created again.
        var runId: String?
        /// This claim's number: a write back names it, so a replica whose lease ran out
        /// cannot overwrite the claim that followed.
        var attempts: Int
    }

    /// Claims the oldest version due for export for `lease`, or nil when none is due.
    func claimMLflowExport(lease: Duration) async throws -> MLflowPending? {
        let claimed = try await pool.transaction { connection -> (kind: String, version: Int, runId: String?, attempts: Int)? in
            try connection.query(
                """
                INSERT INTO trainer.mlflow_exports (kind, version) SELECT kind, version FROM trainer.models
                ON CONFLICT DO NOTHING
                """)
            return try connection.query(
                """
                UPDATE trainer.mlflow_exports e SET claimed_until = now() + make_interval(secs => $1), attempts = e.attempts + 1
                WHERE (e.kind, e.version) = (
                    SELECT kind, version FROM trainer.mlflow_exports
                    WHERE exported_at IS NULL AND coalesce(retry_after, '-infinity') <= now() AND coalesce(claimed_until, '-infinity') < now()
                    ORDER BY kind, version LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING e.kind, e.version, e.run_id, e.attempts
                """, lease.inSeconds
            ).first.map { (try $0.decode("kind"), try $0.decode("version"), try $0.decodeIfPresent("run_id"), try $0.decode("attempts")) }
        }
        guard let claimed else { return nil }
        guard let row = try await pool.query(
            "SELECT announcement, evaluation::text AS evaluation, artifact FROM trainer.models WHERE kind = $1 AND version = $2",
            claimed.kind, claimed.version
        ).first else { return nil }
        let announcement = try row.decode("announcement", as: PostgresJSON<ModelTrained>.self).value
        return MLflowPending(
            announcement: announcement, evaluation: try row.decode("evaluation"), artifact: try row.decode("artifact"),
            session: try await session(requestId: announcement.requestId), runId: claimed.runId, attempts: claimed.attempts)
    }

    /// Remembers the run created for a version, so that a retry continues it.
    func recordMLflowRun(_ claim: MLflowPending, runId: String) async throws {
        try await pool.query(
            "UPDATE trainer.mlflow_exports SET run_id = $3 WHERE kind = $1 AND version = $2 AND attempts = $4 AND run_id IS NULL",
            claim.announcement.kind.rawValue, claim.announcement.modelVersion, runId, claim.attempts)
    }

    func finishMLflowExport(_ claim: MLflowPending, registeredVersion: String) async throws {
        try await pool.query(
            """
            UPDATE trainer.mlflow_exports SET registered_version = $3, exported_at = now(), last_error = NULL, claimed_until = NULL
            WHERE kind = $1 AND version = $2 AND attempts = $4
            """, claim.announcement.kind.rawValue, claim.announcement.modelVersion, registeredVersion, claim.attempts)
    }

    /// Releases a failed attempt and sets when the next may start.
    func failMLflowExport(_ claim: MLflowPending, error: String, retryIn: Duration) async throws {
        try await pool.query(
            """
            UPDATE trainer.mlflow_exports SET last_error = $3, retry_after = now() + make_interval(secs => $4), claimed_until = NULL
            WHERE kind = $1 AND version = $2 AND attempts = $5
            """, claim.announcement.kind.rawValue, claim.announcement.modelVersion, String(error.prefix(2000)), retryIn.inSeconds, claim.attempts)
    }

    /// What `/api/mlflow` reports: each version's export state.
    struct MLflowExportState: Codable, Sendable {
        var model: String
        var runId: String?
        var registeredVersion: String?
        var attempts: Int
        var lastError: String?
        var exportedAt: Date?

        enum CodingKeys: String, CodingKey {
            case model, runId = "run_id", registeredVersion = "registered_version", attempts, lastError = "last_error", exportedAt = "exported_at"
        }
    }

    func mlflowExports() async throws -> [MLflowExportState] {
        try await pool.query(
            """
            SELECT m.kind, m.version, e.run_id, e.registered_version, coalesce(e.attempts, 0) AS attempts, e.last_error, e.exported_at
            FROM trainer.models m LEFT JOIN trainer.mlflow_exports e USING (kind, version) ORDER BY m.kind, m.version
            """
        ).map {
            MLflowExportState(
                model: "\(try $0.decode("kind", as: String.self))@\(try $0.decode("version", as: Int.self))",
                runId: try $0.decodeIfPresent("run_id"), registeredVersion: try $0.decodeIfPresent("registered_version"),
                attempts: try $0.decode("attempts"), lastError: try $0.decodeIfPresent("last_error"), exportedAt: try $0.decodeIfPresent("exported_at"))
        }
    }
}
