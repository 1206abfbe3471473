import Contracts
import Foundation
import Hummingbird
import HTTPClient
import Postgres
import Redis
import ServiceKit
import Spectra
import Streams
import Synchronization
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
        let downloads = try (Fixtures.lamostFiles() + bad).map { try SpectrumDownloaded.local($0) }
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

        // Delivered again (a re-download, a replay), five of them twice in one batch: still one row per OBSID.
        let again = try (downloads.prefix(20) + downloads.prefix(5)).map {
            RedisConnection.xaddArguments(StreamName.spectraDownloaded, fields: try $0.envelope(trace: Envelope.newTrace(), producer: "test").fields, maxLength: nil, id: "*")
        }
        _ = try await redis.pipeline([["MULTI"]] + again + [["EXEC"]])
        try await eventually("the replay announced") { try await redis.xlen(StreamName.spectraCataloged) == 45 }
        #expect(try await redis.xlen(StreamName.spectraDownloaded + ".dlq") == 2)
        let pool = PostgresPool(url: databaseURL, size: 1)
        #expect(try await pool.query("SELECT count(*) AS n FROM cataloger.catalog").first?.decode("n", as: Int.self) == 20)

        await expectCleanShutdown([cataloger])
    }

    @Test("""
        files are fetched from the service that announced them and checked against their digest: a changed or vanished \
        file is dead-lettered naming its URL, a fetcher that answers 503 delays the file without costing an attempt \
        (as one that is down would), and a v1 message naming a path is still read
        """)
    func filesFromTheFetcher() async throws {
        let fixtures = try Fixtures.lamostFiles()
        let contents = try Dictionary(uniqueKeysWithValues: fixtures.prefix(4).map { ((($0 as NSString).lastPathComponent), [UInt8](try Data(contentsOf: URL(fileURLWithPath: $0)))) })
        let names = contents.keys.sorted()
        // A stand-in for the fetcher: serves the files; the third answers 503 six times first
        // (more than this client's one retry and the cataloger's single allowed attempt).
        let unavailableAnswers = Mutex(6)
        let router = Router()
        router.get("files/:name") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            if name == names[2], unavailableAnswers.withLock({ $0 -= 1; return $0 >= 0 }) { return Response(status: .serviceUnavailable) }
            guard let bytes = contents[name] else { return Response(status: .notFound) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        try await withLocalHTTPServer(router) { base in
            let redisServer = try PrivateRedis()
            let cataloger = try ServiceProcess("cataloger", environment: [
                "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(), "MAX_DELIVERIES": "1",
            ])
            let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
            func announced(_ name: String, sha256: String? = nil) -> SpectrumDownloaded {
                SpectrumDownloaded(
                    file: name, url: "\(base)/files/\(name)", plan: "B6202", sha256: sha256 ?? SHA256.hash(contents[name] ?? []),
                    bytes: contents[name]?.count ?? 0, sourceURL: "https://dr5.lamost.org/\(name)")
            }
            let producer = StreamProducer(redis: redis, producer: "test")
            try await producer.publish(batch: [
                announced(names[0]), announced(names[1], sha256: String(repeating: "a", count: 64)), announced(names[2]),
                announced("spec-gone.fits.gz"),
            ])
            // Written by a fetcher of before the upgrade: the path of a shared disk.
            let old = try SpectrumDownloaded.local(fixtures[5])
            _ = try await producer.publish(SpectrumDownloadedV1(file: old.file, path: fixtures[5], plan: old.plan, sha256: old.sha256, bytes: old.bytes, sourceURL: old.sourceURL))

            try await eventually("three cataloged") { try await redis.xlen(StreamName.spectraCataloged) == 3 }
            try await eventually("two dead letters") { try await redis.xlen(StreamName.spectraDownloaded + ".dlq") == 2 }
            let errors = try await redis.xrange(StreamName.spectraDownloaded + ".dlq").compactMap { $0.fields["dlq_error"] }
            #expect(errors.contains { $0.contains("\(base)/files/\(names[1]) has SHA-256") && $0.contains("the file changed since") }, "\(errors)")
            #expect(errors.contains { $0.contains("\(base)/files/spec-gone.fits.gz is no longer served (HTTP 404)") }, "\(errors)")
            #expect(unavailableAnswers.withLock { $0 } < 0, "the 503s were met")
            #expect(cataloger.lines.contains { $0.contains("answered HTTP 503") }, "and logged as a dependency's")

            let cataloged = try await redis.xrange(StreamName.spectraCataloged).map {
                try SpectrumCataloged(envelope: Envelope(entry: $0), stream: StreamName.spectraCataloged)
            }
            #expect(Set(cataloged.map(\.entry.file)) == [names[0], names[2], old.file])
            #expect(cataloged.first { $0.entry.file == old.file }?.url == "file://" + fixtures[5], "v1's path, as a URL")
            await expectCleanShutdown([cataloger])
        }
        // A fetcher that is down is a dependency's failure too, not the message's.
        let refused = await #expect(throws: PeerFileUnavailable.self) {
            try await PeerFiles().fetch("http://127.0.0.1:1/files/B6202/x.fits.gz", sha256: "")
        }
        #expect(refused.map(DependencyFailures.isUnavailable) == true)
    }
}
