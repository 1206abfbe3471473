import Contracts
import Foundation
import Learning
import Postgres
import ServiceKit

/// The drift monitor's own schema: the observations of each pipeline (a rolling log the
/// window is read from), a counter per pipeline, and every report.
struct DriftStore: Sendable {
    let pool: PostgresPool

    static let migrator = SchemaMigrator(schema: "drift", migrations: [
        .idempotencyLedger(schema: "drift"),
        Migration(version: 2, name: "observations, counters, reports", statements: [
            """
            CREATE TABLE drift.observations (
                seq bigserial PRIMARY KEY,
                pipeline text NOT NULL,
                source text NOT NULL,
                message_key text NOT NULL,
                numeric jsonb NOT NULL,
                categorical jsonb NOT NULL,
                correct boolean,
                observed_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (source, message_key))
            """,
            "CREATE INDEX observations_window ON drift.observations (pipeline, source, seq DESC)",
            "CREATE TABLE drift.counters (pipeline text PRIMARY KEY, observed bigint NOT NULL)",
            """
            CREATE TABLE drift.reports (
                id bigserial PRIMARY KEY,
                pipeline text NOT NULL,
                model text NOT NULL,
                dataset_drift boolean NOT NULL,
                share double precision NOT NULL,
                report jsonb NOT NULL,
                html text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now())
            """,
        ]),
        Migration(version: 3, name: "each observation's words outside the model's vocabulary", statements: [
            "ALTER TABLE drift.observations ADD COLUMN new_words jsonb NOT NULL DEFAULT '[]'",
        ]),
    ])

    struct Observation: Sendable {
        var numeric: [String: Double]
        var categorical: [String: String]
        var correct: Bool?
        /// Words of the observed text outside the model's vocabulary (papers only).
        var newWords: [String] = []
    }

    /// Records an observation once (by message key); returns the pipeline's count of
    /// observations from `countingSource` when this one is new and from that source.
    func record(pipeline: String, source: String, key: String, _ observation: Observation, countingSource: String) async throws -> Int? {
        try await pool.transaction { connection in
            let inserted = try connection.query(
                """
                INSERT INTO drift.observations (pipeline, source, message_key, numeric, categorical, correct, new_words)
                VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7::jsonb)
                ON CONFLICT (source, message_key) DO NOTHING
                """, pipeline, source, key, PostgresJSON(observation.numeric), PostgresJSON(observation.categorical), observation.correct,
                PostgresJSON(observation.newWords))
            guard inserted.affectedRows == 1, source == countingSource else { return nil }
            return try connection.query(
                """
                INSERT INTO drift.counters (pipeline, observed) VALUES ($1, 1)
                ON CONFLICT (pipeline) DO UPDATE SET observed = drift.counters.observed + 1 RETURNING observed
                """, pipeline
            ).first?.decode("observed", as: Int.self)
        }
    }

    /// The latest `size` observations of `pipeline` from `source`.
    func window(pipeline: String, source: String, size: Int) async throws -> [Observation] {
        try await pool.query(
            "SELECT numeric, categorical, correct, new_words FROM drift.observations WHERE pipeline = $1 AND source = $2 ORDER BY seq DESC LIMIT $3",
            pipeline, source, size
        ).map {
            Observation(
                numeric: try $0.decode("numeric", as: PostgresJSON<[String: Double]>.self).value,
                categorical: try $0.decode("categorical", as: PostgresJSON<[String: String]>.self).value,
                correct: try $0.decodeIfPresent("correct", as: Bool.self),
                newWords: try $0.decode("new_words", as: PostgresJSON<[String]>.self).value)
        }
    }

    func save(_ report: DriftReport, html: @escaping @Sendable (Int) -> String) async throws -> Int {
        try await pool.transaction { connection in
            let id = try connection.query(
                "INSERT INTO drift.reports (pipeline, model, dataset_drift, share, report, html) VALUES ($1, $2, $3, $4, $5::jsonb, '') RETURNING id",
                report.pipeline, report.model, report.datasetDrift, report.share, PostgresJSON(report)
            ).first!.decode("id", as: Int.self)
            try connection.query("UPDATE drift.reports SET html = $2 WHERE id = $1", id, html(id))
            return id
        }
    }

    struct Listed: Codable, Sendable {
        var id: Int
        var report: DriftReport
    }

    func reports(limit: Int) async throws -> [Listed] {
        try await pool.query("SELECT id, report FROM drift.reports ORDER BY id DESC LIMIT $1", limit)
            .map { Listed(id: try $0.decode("id"), report: try $0.decode("report", as: PostgresJSON<DriftReport>.self).value) }
    }

    struct Alert: Codable, Sendable {
        var reportId: Int
        var pipeline: String
        var model: String
        var reasons: [String]
        var driftedColumns: [String]
        var createdAt: Date
        enum CodingKeys: String, CodingKey {
            case reportId = "report_id", pipeline, model, reasons, driftedColumns = "drifted_columns", createdAt = "created_at"
        }
    }

    /// The reports that raised an alert, newest first.
    func alerts(limit: Int) async throws -> [Alert] {
        try await pool.query(
            "SELECT id, report FROM drift.reports WHERE jsonb_array_length(COALESCE(report->'alerts', '[]'::jsonb)) > 0 ORDER BY id DESC LIMIT $1", limit
        ).map { row in
            let report = try row.decode("report", as: PostgresJSON<DriftReport>.self).value
            return Alert(
                reportId: try row.decode("id"), pipeline: report.pipeline, model: report.model, reasons: report.alerts ?? [],
                driftedColumns: report.drifted, createdAt: report.createdAt)
        }
    }

    func html(id: Int) async throws -> String? {
        try await pool.query("SELECT html FROM drift.reports WHERE id = $1", id).first?.decode("html", as: String.self)
    }
}

/// One comparison of a window with a reference.
struct DriftReport: Codable, Sendable {
    var pipeline: String
    var model: String
    var window: Int
    var columns: [ColumnDrift]
    var share: Double
    var datasetDrift: Bool
    var shareThreshold: Double
    var liveAccuracy: Double?
    var referenceAccuracy: Double?
    var createdAt: Date
    /// Reference and current histograms of each drifted column, for the HTML report.
    var histograms: [String: Histogram]
    /// Why this report raised an alert (dataset drift, live accuracy far below the held-out
    /// one); empty when it raised none, absent in reports stored before alerts were kept.
    var alerts: [String]?
    /// The words outside the model's vocabulary found in most of the window's texts, with how
    /// many texts had each (papers only; absent in reports stored before they were counted).
    var newWords: [WordCount]?

    struct WordCount: Codable, Sendable, Equatable {
        var word: String
        var count: Int
    }

    /// Bin counts of a numeric column (`edges`) or category counts (`labels`).
    struct Histogram: Codable, Sendable {
        var edges: [Double]
        var labels: [String]?
        var reference: [Double]
        var current: [Double]
    }

    enum CodingKeys: String, CodingKey {
        case pipeline, model, window, columns, share, datasetDrift = "dataset_drift", shareThreshold = "share_threshold",
             liveAccuracy = "live_accuracy", referenceAccuracy = "reference_accuracy", createdAt = "created_at", histograms, alerts, newWords = "new_words"
    }

    var drifted: [String] { columns.filter(\.drifted).map(\.column) }
}
