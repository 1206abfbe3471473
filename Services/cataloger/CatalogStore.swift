import Foundation
import Postgres
import ServiceKit
import Spectra

/// The cataloger's own schema: one row per OBSID (the original pipeline's catalog CSV, as a table).
struct CatalogStore: Sendable {
    let pool: PostgresPool

    static let migrator = SchemaMigrator(schema: "cataloger", migrations: [
        .idempotencyLedger(schema: "cataloger"),
        Migration(version: 2, name: "catalog", statements: [
            """
            CREATE TABLE cataloger.catalog (
                obsid bigint PRIMARY KEY,
                file text NOT NULL,
                path text NOT NULL,
                sha256 text NOT NULL,
                plan_id text NOT NULL,
                class text NOT NULL,
                subclass text NOT NULL,
                redshift double precision,
                snr_g double precision,
                entry jsonb NOT NULL,
                cataloged_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now())
            """,
            "CREATE INDEX catalog_class ON cataloger.catalog (class, subclass)",
            "CREATE INDEX catalog_plan ON cataloger.catalog (plan_id)",
        ]),
        // Files are fetched from the fetcher, not read from a shared disk: rows say where.
        Migration(version: 3, name: "catalog url", statements: [
            "ALTER TABLE cataloger.catalog RENAME COLUMN path TO url",
            "UPDATE cataloger.catalog SET url = 'file://' || url WHERE url NOT LIKE '%://%'",
        ]),
    ])

    struct Row: Sendable {
        var entry: CatalogEntry
        var url: String
        var sha256: String
    }

    /// One statement for the rows of a batch. A spectrum announced twice in one batch (a
    /// re-download) is written once, as its last announcement says: PostgreSQL refuses to
    /// update one row twice in one `INSERT … ON CONFLICT`.
    func upsert(_ rows: [Row]) async throws {
        var latest: [Int: Row] = [:]
        for row in rows { latest[row.entry.obsid] = row }
        let rows = latest.values.sorted { $0.entry.obsid < $1.entry.obsid }.map { row -> [any PostgresEncodable] in
            [row.entry.obsid, row.entry.file, row.url, row.sha256, row.entry.planId, row.entry.objectClass, row.entry.subclass,
             row.entry.redshift, row.entry.snrG, PostgresJSON(row.entry)]
        }
        for chunk in MultiRowValues.chunks(rows, casts: [9: "jsonb"]) {
            try await pool.query(
                """
                INSERT INTO cataloger.catalog (obsid, file, url, sha256, plan_id, class, subclass, redshift, snr_g, entry)
                VALUES \(chunk.values)
                ON CONFLICT (obsid) DO UPDATE SET
                    file = EXCLUDED.file, url = EXCLUDED.url, sha256 = EXCLUDED.sha256, plan_id = EXCLUDED.plan_id,
                    class = EXCLUDED.class, subclass = EXCLUDED.subclass, redshift = EXCLUDED.redshift,
                    snr_g = EXCLUDED.snr_g, entry = EXCLUDED.entry, updated_at = now()
                """,
                chunk.parameters)
        }
    }

    func entry(obsid: Int) async throws -> CatalogEntry? {
        try await pool.query("SELECT entry FROM cataloger.catalog WHERE obsid = $1", obsid).first
            .map { try $0.decode("entry", as: PostgresJSON<CatalogEntry>.self).value }
    }

    func entries(objectClass: String?, limit: Int) async throws -> [CatalogEntry] {
        try await pool.query(
            "SELECT entry FROM cataloger.catalog WHERE ($1::text IS NULL OR class = $1) ORDER BY obsid LIMIT $2", objectClass, limit
        ).map { try $0.decode("entry", as: PostgresJSON<CatalogEntry>.self).value }
    }
}
