import Contracts
import Foundation
import HTTPClient
import Postgres
import Redis
import Spectra
import Streams
import Testing

@Suite("cataloger: real LAMOST headers into the catalog")
struct CatalogerTests {
    @Test("`cataloger inspect` on the real fixtures reproduces catalog.csv")
    func inspectReproducesCatalog() async throws {
        let expected = try SpectrumFixtures.catalog()
        let process = try ServiceProcess("cataloger", arguments: ["inspect"] + Fixtures.lamostFiles())
        #expect(await process.waitForExit() == 0, "\(process.errorText)")
        let entries = try process.lines.map { try JSONDecoder().decode(CatalogEntry.self, from: Data($0.utf8)) }
        #expect(entries.count == 20)
        for row in expected {
            let entry = try #require(entries.first { $0.file == row.file })
            #expect(entry.obsid == row.obsid)
            #expect(entry.planId == row.plan)
            #expect(entry.objectClass == row.objectClass)
            #expect(entry.subclass == row.subclass)
            if row.redshift == -9999 {
                #expect(entry.redshift == nil, "\(row.file): -9999 means not measured")
            } else {
                #expect(abs((entry.redshift ?? .nan) - row.redshift) < 1e-9, "\(row.file)")
            }
            #expect(entry.snrG == row.snrG)
            #expect(abs(entry.firstWavelength - row.firstWavelength) < 0.01)
            #expect(abs(entry.lastWavelength - row.lastWavelength) < 0.01)
        }
        // Every star has an MK letter (catalog.csv has 18 stars; PROVENANCE.md's summary says 17).
        #expect(entries.filter { $0.mkLetter != nil }.count == expected.filter { $0.objectClass == "STAR" }.count)
    }

    @Test("`cataloger inspect` prints the good files, names each bad one, and exits non-zero")
    func inspectRejectsBadFiles() async throws {
        let directory = try makeTemporaryDirectory()
        let truncated = try SpectrumFixtures.truncated(in: directory)
        let noClass = try SpectrumFixtures.missingClass(in: directory)
        let good = try Fixtures.lamostFiles()[1]
        let process = try ServiceProcess("cataloger", arguments: ["inspect", truncated, good, noClass])
        #expect(await process.waitForExit() == 1)
        #expect(process.lines.count == 1)
        #expect(process.lines.first?.contains("\"obsid\":701002") == true)
        #expect(process.errorText.contains("spec-truncated.fits.gz: unreadable FITS"))
        #expect(process.errorText.contains("spec-no-class.fits: missing keyword CLASS"))
    }

    @Test("the service catalogs every good file once, dead-letters bad ones with the file and reason, and serves the rows")
    func service() async throws {
        let redisServer = try PrivateRedis()
        let databaseURL = try await TestDatabase.create()
        let cataloger = try ServiceProcess(
            "cataloger", environment: ["HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": databaseURL])
        let port = try await cataloger.httpPort()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        let producer = StreamProducer(redis: redis, producer: "test")

        let directory = try makeTemporaryDirectory()
        let bad = [try SpectrumFixtures.truncated(in: directory), try SpectrumFixtures.missingClass(in: directory)]
        let downloads = try (Fixtures.lamostFiles() + bad).map { path in
            SpectrumDownloaded(
                file: (path as NSString).lastPathComponent, path: path, plan: "B6202", sha256: String(repeating: "0", count: 64),
                bytes: try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0, sourceURL: "file://" + path)
        }
        try await producer.publish(batch: downloads)

        try await eventually("20 cataloged") { try await redis.xlen(StreamName.spectraCataloged) == 20 }
        try await eventually("2 dead letters") { try await redis.xlen(StreamName.spectraDownloaded + ".dlq") == 2 }
        let errors = try await redis.xrange(StreamName.spectraDownloaded + ".dlq").compactMap { $0.fields["dlq_error"] }
        #expect(errors.contains { $0.contains("spec-truncated.fits.gz") && $0.contains("unreadable FITS") })
        #expect(errors.contains { $0.contains("spec-no-class.fits") && $0.contains("missing keyword CLASS") })

        let http = HTTPClient()
        let star = try JSONDecoder().decode(CatalogEntry.self, from: Data(try await http.get("http://127.0.0.1:\(port)/api/catalog/701001").body))
        #expect(star.objectClass == "STAR" && star.subclass == "G7")
        let galaxies = try JSONDecoder().decode(
            [CatalogEntry].self, from: Data(try await http.get("http://127.0.0.1:\(port)/api/catalog?class=GALAXY").body))
        #expect(galaxies.map(\.obsid) == [707005])
        let missing = try await http.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/catalog/1"))
        #expect(missing.status == 404)

        // Delivered again (a re-download, a replay): still one row per OBSID.
        try await producer.publish(batch: Array(downloads.prefix(20)))
        try await eventually("the replay announced") { try await redis.xlen(StreamName.spectraCataloged) == 40 }
        let pool = PostgresPool(url: databaseURL, size: 1)
        #expect(try await pool.query("SELECT count(*) AS n FROM cataloger.catalog").first?.decode("n", as: Int.self) == 20)

        await expectCleanShutdown([cataloger])
    }
}
