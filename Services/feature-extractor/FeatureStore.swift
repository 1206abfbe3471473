import Contracts
import Postgres
import ServiceKit
import Spectra

/// The feature extractor's own table: the latest vector of each spectrum, per feature version.
struct FeatureStore: Sendable {
    let pool: PostgresPool

    static let migrator = SchemaMigrator(schema: "features", migrations: [
        .idempotencyLedger(schema: "features"),
        Migration(version: 2, name: "feature vectors", statements: [
            """
            CREATE TABLE features.vectors (
                obsid bigint NOT NULL,
                version text NOT NULL,
                source_sha256 text NOT NULL,
                class text NOT NULL,
                subclass text NOT NULL,
                message jsonb NOT NULL,
                extracted_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (obsid, version))
            """,
        ]),
    ])

    /// The vectors of one batch in one statement (a spectrum twice in the batch is kept once, as its last message says).
    func save(_ batch: [SpectrumFeatures]) async throws {
        var latest: [String: SpectrumFeatures] = [:]
        for features in batch { latest["\(features.entry.obsid) \(features.features.version)"] = features }
        let rows = latest.values.sorted { $0.entry.obsid < $1.entry.obsid }.map { features -> [any PostgresEncodable] in
            [features.entry.obsid, features.features.version, features.sha256, features.entry.objectClass, features.entry.subclass, PostgresJSON(features)]
        }
        for chunk in MultiRowValues.chunks(rows, casts: [5: "jsonb"]) {
            try await pool.query(
                """
                INSERT INTO features.vectors (obsid, version, source_sha256, class, subclass, message) VALUES \(chunk.values)
                ON CONFLICT (obsid, version) DO UPDATE SET source_sha256 = EXCLUDED.source_sha256, class = EXCLUDED.class,
                    subclass = EXCLUDED.subclass, message = EXCLUDED.message, extracted_at = now()
                """,
                chunk.parameters)
        }
    }

    func features(obsid: Int) async throws -> SpectrumFeatures? {
        try await pool.query(
            "SELECT message FROM features.vectors WHERE obsid = $1 AND version = $2", obsid, FeatureExtractor.version
        ).first.map { try $0.decode("message", as: PostgresJSON<SpectrumFeatures>.self).value }
    }
}
