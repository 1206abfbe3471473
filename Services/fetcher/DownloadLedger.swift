import Postgres
import ServiceKit

/// The fetcher's own tables: plans listed and files completed (the old `downloaded_plans.csv`),
/// so nothing is fetched twice.
struct DownloadLedger: Sendable {
    let pool: PostgresPool

    static let migrator = SchemaMigrator(schema: "fetcher", migrations: [
        .idempotencyLedger(schema: "fetcher"),
        Migration(version: 2, name: "plans and files", statements: [
            """
            CREATE TABLE fetcher.plans (
                base_url text NOT NULL,
                plan text NOT NULL,
                files int NOT NULL,
                listed_at timestamptz NOT NULL DEFAULT now(),
                completed_at timestamptz,
                PRIMARY KEY (base_url, plan))
            """,
            """
            CREATE TABLE fetcher.files (
                plan text NOT NULL,
                file text NOT NULL,
                source_url text NOT NULL,
                path text NOT NULL,
                bytes bigint NOT NULL,
                sha256 text NOT NULL,
                downloaded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (plan, file))
            """,
        ]),
    ])

    func listed(baseURL: String, plan: String, files: Int) async throws {
        try await pool.query(
            """
            INSERT INTO fetcher.plans (base_url, plan, files) VALUES ($1, $2, $3)
            ON CONFLICT (base_url, plan) DO UPDATE SET files = EXCLUDED.files, listed_at = now()
            """, baseURL, plan, files)
    }

    func completedFiles(plan: String) async throws -> Set<String> {
        Set(try await pool.query("SELECT file FROM fetcher.files WHERE plan = $1", plan).map { try $0.decode("file", as: String.self) })
    }

    func isCompleted(plan: String, file: String) async throws -> Bool {
        try await !pool.query("SELECT 1 FROM fetcher.files WHERE plan = $1 AND file = $2", plan, file).isEmpty
    }

    struct File: Sendable {
        var plan: String
        var file: String
        var sourceURL: String
        var path: String
        var bytes: Int
        var sha256: String
    }

    /// Records downloaded files, many in one statement.
    func record(_ files: [File]) async throws {
        var latest: [String: File] = [:]
        for file in files { latest[file.plan + "/" + file.file] = file }
        let rows = latest.keys.sorted().compactMap { latest[$0] }.map { file -> [any PostgresEncodable] in
            [file.plan, file.file, file.sourceURL, file.path, file.bytes, file.sha256]
        }
        for chunk in MultiRowValues.chunks(rows) {
            try await pool.query(
                """
                INSERT INTO fetcher.files (plan, file, source_url, path, bytes, sha256) VALUES \(chunk.values)
                ON CONFLICT (plan, file) DO UPDATE SET source_url = EXCLUDED.source_url, path = EXCLUDED.path,
                    bytes = EXCLUDED.bytes, sha256 = EXCLUDED.sha256, downloaded_at = now()
                """, chunk.parameters)
        }
    }

    /// Where a recorded file lies and its SHA-256.
    func file(plan: String, name: String) async throws -> ServedFiles.File? {
        try await pool.query("SELECT path, sha256 FROM fetcher.files WHERE plan = $1 AND file = $2", plan, name).first.map {
            ServedFiles.File(path: try $0.decode("path", as: String.self), sha256: try $0.decode("sha256", as: String.self))
        }
    }

    func planCompleted(baseURL: String, plan: String) async throws {
        try await pool.query("UPDATE fetcher.plans SET completed_at = now() WHERE base_url = $1 AND plan = $2", baseURL, plan)
    }
}
