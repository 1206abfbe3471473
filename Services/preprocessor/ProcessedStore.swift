import Contracts
import Foundation
import Postgres
import ServiceKit

/// The preprocessor's own storage: each processed spectrum as a JSON file under `DATA_DIR`
/// (written to a temporary name, then renamed), indexed by a row per OBSID.
struct ProcessedStore: Sendable {
    let pool: PostgresPool
    let directory: String

    static let migrator = SchemaMigrator(schema: "preprocessor", migrations: [
        .idempotencyLedger(schema: "preprocessor"),
        Migration(version: 2, name: "processed spectra", statements: [
            """
            CREATE TABLE preprocessor.spectra (
                obsid bigint PRIMARY KEY,
                source_sha256 text NOT NULL,
                file text NOT NULL,
                good_fraction double precision NOT NULL,
                median_snr double precision NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now())
            """,
        ]),
    ])

    /// Writes a spectrum's file: the JSON of its `SpectrumPreprocessed` message (blocking file
    /// I/O: call it from a thread pool), and returns its path.
    func writeFile(json: String, obsid: Int) throws -> String {
        let folder = directory + "/processed"
        let path = folder + "/\(obsid).json"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // Unique per write: two writers of one OBSID (replicas, a redelivery) never share a temporary file.
        let temporary = path + ".tmp-\(getpid())-\(UUID().uuidString)"
        try Data(json.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        return path
    }

    /// Records the files written by `writeFile` as their spectra's current versions, in one
    /// statement (an OBSID twice in the list is recorded once, as its last entry says).
    func index(_ kept: [(processed: SpectrumPreprocessed, path: String)]) async throws {
        var latest: [Int: (processed: SpectrumPreprocessed, path: String)] = [:]
        for item in kept { latest[item.processed.entry.obsid] = item }
        let rows = latest.values.sorted { $0.processed.entry.obsid < $1.processed.entry.obsid }.map { item -> [any PostgresEncodable] in
            [item.processed.entry.obsid, item.processed.sha256, item.path, item.processed.goodFraction, item.processed.medianSNR]
        }
        for chunk in MultiRowValues.chunks(rows) {
            try await pool.query(
                """
                INSERT INTO preprocessor.spectra (obsid, source_sha256, file, good_fraction, median_snr) VALUES \(chunk.values)
                ON CONFLICT (obsid) DO UPDATE SET source_sha256 = EXCLUDED.source_sha256, file = EXCLUDED.file,
                    good_fraction = EXCLUDED.good_fraction, median_snr = EXCLUDED.median_snr, processed_at = now()
                """,
                chunk.parameters)
        }
    }

    func spectrum(obsid: Int) async throws -> SpectrumPreprocessed? {
        guard let row = try await pool.query("SELECT file FROM preprocessor.spectra WHERE obsid = $1", obsid).first else { return nil }
        let data = try Data(contentsOf: URL(fileURLWithPath: try row.decode("file", as: String.self)))
        return try JSONDecoder().decode(SpectrumPreprocessed.self, from: data)
    }
}
