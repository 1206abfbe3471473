import Contracts
import Foundation
import HTTPClient
import Redis
import Streams
import Testing

@testable import fetcher

@Suite("fetcher: plans from an archive or a file:// mirror, round-robin, never twice")
struct FetcherTests {
    @Test("a DR5 index page yields its spectrum files, in order, once each")
    func indexPage() {
        let page = """
            <html><body><h1>Index of /v3/sas/fits/20111028/GAC_105N29_B1/</h1><pre>
            <a href="../">../</a>
            <a href="spec-55862-GAC_105N29_B1_sp01-001.fits.gz">spec-55862-GAC_105N29_B1_sp01-001.fits.gz</a> 27-Oct-2011 120K
            <a href="spec-55862-GAC_105N29_B1_sp01-002.fits.gz">spec-55862-GAC_105N29_B1_sp01-002.fits.gz</a> 27-Oct-2011 118K
            <a href="/v3/sas/fits/20111028/GAC_105N29_B1/spec-55862-GAC_105N29_B1_sp01-001.fits.gz">again</a>
            <a href="readme.txt">readme.txt</a></pre></body></html>
            """
        #expect(PlanListing.fileNames(inIndexPage: page) == [
            "spec-55862-GAC_105N29_B1_sp01-001.fits.gz", "spec-55862-GAC_105N29_B1_sp01-002.fits.gz",
        ])
    }

    @Test("downloads interleave plans so that a huge plan does not starve the others")
    func roundRobin() {
        let order = PlanListing.roundRobin([("big", ["b1", "b2", "b3", "b4"]), ("small", ["s1"]), ("mid", ["m1", "m2"])])
        #expect(order.map(\.file) == ["b1", "s1", "m1", "b2", "m2", "b3", "b4"])
    }

    @Test("the service downloads every plan's files round-robin, announces them, skips them the second time, and fetches the good plans of a request naming an unknown one before rejecting it")
    func service() async throws {
        let mirror = try makeTemporaryDirectory("mirror")
        let sim = try ServiceProcess("starstream-sim", arguments: ["--count", "12", "--per-plan", "3", "--seed", "11", "--out", mirror])
        #expect(await sim.waitForExit() == 0)
        let allPlans = try FileManager.default.contentsOfDirectory(atPath: mirror).filter { $0.hasPrefix("SIM") }.sorted()
        #expect(allPlans.count == 4)
        let (plans, laterPlan) = (Array(allPlans.prefix(3)), allPlans[3])

        let redisServer = try PrivateRedis()
        let environment = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(),
            "DATA_DIR": try makeTemporaryDirectory("fetcher"), "FETCH_CONCURRENCY": "1",
        ]
        let fetcher = try ServiceProcess("fetcher", environment: environment)
        let port = try await fetcher.httpPort()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))

        func enqueue(_ plans: [String]) async throws {
            let cli = try ServiceProcess("fetcher", arguments: ["enqueue", "--base", "file://" + mirror] + plans, environment: environment)
            #expect(await cli.waitForExit() == 0, "\(cli.errorText)")
        }
        try await enqueue(plans)
        try await eventually("nine downloaded") { try await redis.xlen(StreamName.spectraDownloaded) == 9 }
        let downloads = try await redis.xrange(StreamName.spectraDownloaded).map {
            try SpectrumDownloaded(envelope: Envelope(entry: $0), stream: StreamName.spectraDownloaded)
        }
        #expect(downloads.prefix(3).map(\.plan) == plans, "the first file of each plan comes first")
        // Each file is announced as served by this fetcher over HTTP, byte for byte what it announced.
        let http = HTTPClient()
        for download in downloads {
            #expect(download.url == "http://127.0.0.1:\(port)/files/\(download.plan)/\(download.file)")
            let served = try await http.get(download.url).body
            #expect(served.count == download.bytes && SHA256.hash(served) == download.sha256, "\(download.file)")
        }
        // Nothing else is served: not a partial download, not a path out of its directory, not a file it lacks.
        for (path, status) in [("\(plans[0])/\(downloads[0].file).part", 400), ("..%2F..%2Fetc/passwd", 400), ("\(plans[0])/spec-none.fits.gz", 404)] {
            let answer = try await http.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/files/\(path)"))
            #expect(answer.status == status, "\(path): \(answer.status) \(answer.text)")
        }

        try await enqueue(plans)
        try await eventually("the second request finished") { fetcher.lines.filter { $0.contains("\"fetch finished\"") }.count == 2 }
        #expect(fetcher.lines.contains { $0.contains("\"fetch started\"") && $0.contains("\"already_fetched\":9") })
        #expect(try await redis.xlen(StreamName.spectraDownloaded) == 9)

        try await enqueue(["NO_SUCH_PLAN", laterPlan])
        try await eventually("unknown plan dead-lettered") { try await redis.xlen(StreamName.spectraFetchRequests + ".dlq") == 1 }
        let letter = try #require(try await redis.xrange(StreamName.spectraFetchRequests + ".dlq").first)
        #expect(letter.fields["dlq_error"]?.contains("plan NO_SUCH_PLAN not found") == true)
        #expect(try await redis.xlen(StreamName.spectraDownloaded) == 12, "the good plan of the request was fetched")

        await expectCleanShutdown([fetcher])
    }

    @Test("a Range header is read as RFC 9110 says: one range is a part, one past the end unsatisfiable, other units, lists and malformed ones are ignored")
    func byteRanges() {
        #expect(ByteRange.resolve("bytes=0-99", length: 1000) == .part(0...99))
        #expect(ByteRange.resolve("bytes=900-", length: 1000) == .part(900...999))
        #expect(ByteRange.resolve("bytes=-100", length: 1000) == .part(900...999))
        #expect(ByteRange.resolve("bytes=-5000", length: 1000) == .part(0...999))
        #expect(ByteRange.resolve("bytes=990-2000", length: 1000) == .part(990...999))
        for unsatisfiable in ["bytes=1000-", "bytes=1000-1001", "bytes=-0"] {
            #expect(ByteRange.resolve(unsatisfiable, length: 1000) == .unsatisfiable, "\(unsatisfiable)")
        }
        for ignored in ["bytes=5-1", "bytes=0-1,5-9", "items=0-1", "bytes=a-b", "bytes=", "bytes=٣-٤", "bytes=-"] {
            #expect(ByteRange.resolve(ignored, length: 1000) == .whole, "\(ignored)")
        }
    }

    @Test("""
        --in-place records and serves a local folder's files where they lie, copying none: the stages read them over \
        HTTP with an ETag (the SHA-256; If-None-Match answers 304) and ranges (206, 416); in place from a remote archive is refused
        """)
    func inPlace() async throws {
        let mirror = try makeTemporaryDirectory("mirror")
        let sim = try ServiceProcess("starstream-sim", arguments: ["--count", "6", "--per-plan", "3", "--seed", "13", "--out", mirror])
        #expect(await sim.waitForExit() == 0)
        let plans = try FileManager.default.contentsOfDirectory(atPath: mirror).filter { $0.hasPrefix("SIM") }.sorted()
        let redisServer = try PrivateRedis()
        let dataDirectory = try makeTemporaryDirectory("fetcher")
        let environment = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(), "DATA_DIR": dataDirectory,
        ]
        let fetcher = try ServiceProcess("fetcher", environment: environment)
        let port = try await fetcher.httpPort()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        let cli = try ServiceProcess("fetcher", arguments: ["enqueue", "--in-place", "--base", "file://" + mirror] + plans, environment: environment)
        #expect(await cli.waitForExit() == 0, "\(cli.errorText)")
        #expect(cli.lines.first?.contains("(in place)") == true)
        try await eventually("six announced") { try await redis.xlen(StreamName.spectraDownloaded) == 6 }
        let downloads = try await redis.xrange(StreamName.spectraDownloaded).map {
            try SpectrumDownloaded(envelope: Envelope(entry: $0), stream: StreamName.spectraDownloaded)
        }
        // Nothing copied: the fetcher's directory holds no spectrum.
        let copied = FileManager.default.enumerator(atPath: dataDirectory)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".fits.gz") } ?? []
        #expect(copied.isEmpty, "\(copied)")
        let http = HTTPClient()
        for download in downloads {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(mirror)/\(download.plan)/\(download.file)")))
            #expect(download.sourceURL == "file://\(mirror)/\(download.plan)/\(download.file)")
            #expect(download.sha256 == SHA256.hash(original) && download.bytes == original.count)
            let whole = try await http.send(HTTPClientRequest(url: download.url))
            #expect(whole.status == 200 && whole.body == original)
            #expect(whole.headers["etag"] == "\"\(download.sha256)\"")
        }
        let first = try #require(downloads.first)
        let unchanged = try await http.send(HTTPClientRequest(url: first.url, headers: [("If-None-Match", "\"\(first.sha256)\"")]))
        #expect(unchanged.status == 304 && unchanged.body.isEmpty)
        let part = try await http.send(HTTPClientRequest(url: first.url, headers: [("Range", "bytes=10-19")]))
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(mirror)/\(first.plan)/\(first.file)")))
        #expect(part.status == 206 && part.body == Array(original[10...19]))
        #expect(part.headers["content-range"] == "bytes 10-19/\(original.count)")
        let beyond = try await http.send(HTTPClientRequest(url: first.url, headers: [("Range", "bytes=\(original.count)-")]))
        #expect(beyond.status == 416 && beyond.headers["content-range"] == "bytes */\(original.count)")

        // In place needs local files: the command refuses a remote base, the service a request naming one.
        let remote = try ServiceProcess("fetcher", arguments: ["enqueue", "--in-place", "--base", "https://dr5.lamost.org/v3/sas/fits/20111028", "P"], environment: environment)
        #expect(await remote.waitForExit() != 0)
        #expect(remote.errorText.contains("--in-place reads local files where they lie: it needs a file:// base"), "\(remote.errorText)")
        try await StreamProducer(redis: redis, producer: "test").publish(
            SpectraFetchRequest(requestId: "remote-in-place", baseURL: "https://dr5.lamost.org/v3/sas/fits/20111028", plans: ["P"], inPlace: true))
        try await eventually("the remote in-place request dead-lettered") { try await redis.xlen(StreamName.spectraFetchRequests + ".dlq") == 1 }
        let letter = try #require(try await redis.xrange(StreamName.spectraFetchRequests + ".dlq").first)
        #expect(letter.fields["dlq_error"]?.contains("in_place needs a file:// base URL") == true, "\(letter.fields)")
        await expectCleanShutdown([fetcher])
    }

    @Test("""
        two requests for the same plans at once download and announce each file once, byte for byte the mirror's, \
        over a stale copy left on disk; an error page is rejected naming the file
        """)
    func overlappingRequests() async throws {
        let mirror = try makeTemporaryDirectory("mirror")
        let sim = try ServiceProcess("starstream-sim", arguments: ["--count", "6", "--per-plan", "3", "--seed", "12", "--out", mirror])
        #expect(await sim.waitForExit() == 0)
        let plans = try FileManager.default.contentsOfDirectory(atPath: mirror).filter { $0.hasPrefix("SIM") }.sorted()
        let errorPage = "spec-59999-\(plans[1])_sp01-250.fits.gz"
        try Data("<html><body>502 Bad Gateway</body></html>".utf8).write(to: URL(fileURLWithPath: "\(mirror)/\(plans[1])/\(errorPage)"))
        // A file of the same name left by an earlier deployment, whose ledger is gone: not trusted.
        let dataDirectory = try makeTemporaryDirectory("fetcher")
        let early = try #require(try FileManager.default.contentsOfDirectory(atPath: "\(mirror)/\(plans[0])").sorted().first)
        try FileManager.default.createDirectory(atPath: "\(dataDirectory)/spectra/\(plans[0])", withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: URL(fileURLWithPath: "\(dataDirectory)/spectra/\(plans[0])/\(early)"))

        let redisServer = try PrivateRedis()
        let environment = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(),
            "DATA_DIR": dataDirectory, "MAX_DELIVERIES": "1",
        ]
        let fetcher = try ServiceProcess("fetcher", environment: environment)
        _ = try await fetcher.httpPort()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        let requests = try (0..<2).map { _ in
            try ServiceProcess("fetcher", arguments: ["enqueue", "--base", "file://" + mirror] + plans, environment: environment)
        }
        for request in requests { #expect(await request.waitForExit() == 0, "\(request.errorText)") }

        // Each request fails on the error page; both are dead-lettered naming it.
        try await eventually("both requests finished") { try await redis.xlen(StreamName.spectraFetchRequests + ".dlq") == 2 }
        for letter in try await redis.xrange(StreamName.spectraFetchRequests + ".dlq") {
            #expect(letter.fields["dlq_error"]?.contains("\(errorPage): not a FITS or gzip file") == true, "\(letter.fields)")
        }
        let downloads = try await redis.xrange(StreamName.spectraDownloaded).map {
            try SpectrumDownloaded(envelope: Envelope(entry: $0), stream: StreamName.spectraDownloaded)
        }
        #expect(downloads.count == 6 && Set(downloads.map(\.file)).count == 6, "\(downloads.map(\.file))")
        for download in downloads {
            let fetched = Data(try await HTTPClient().get(download.url).body)
            #expect(fetched == (try Data(contentsOf: URL(fileURLWithPath: "\(mirror)/\(download.plan)/\(download.file)"))), "\(download.file)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(dataDirectory)/spectra/\(plans[1])/\(errorPage)"))

        await expectCleanShutdown([fetcher])
    }
}
