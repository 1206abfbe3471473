import Foundation
import HTTPClient
import Hummingbird
import Synchronization
import Testing

@Suite("HTTP client over libcurl against a local server")
struct HTTPClientTests {
    static let payload: [UInt8] = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }

    /// Counts requests per path and remembers the Range headers seen.
    final class Observed: Sendable {
        let counts = Mutex<[String: Int]>([:])
        let ranges = Mutex<[String]>([])
        let times = Mutex<[ContinuousClock.Instant]>([])

        func hit(_ path: String) -> Int {
            times.withLock { $0.append(.now) }
            return counts.withLock { counts in
                counts[path, default: 0] += 1
                return counts[path]!
            }
        }
    }

    func makeClient(attempts: Int = 4, interval: Duration? = nil, maxResponse: Int = 1 << 20) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.retry = RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))
        configuration.minimumRequestInterval = interval
        configuration.maxResponseSize = maxResponse
        configuration.requestTimeout = .seconds(10)
        return HTTPClient(configuration: configuration)
    }

    func router(_ observed: Observed) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("hello") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain", .init("X-Greeting")!: "hi"], body: .init(byteBuffer: ByteBuffer(string: "hello")))
        }
        router.get("flaky") { _, _ in
            observed.hit("flaky") < 3 ? Response(status: .serviceUnavailable) : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "finally")))
        }
        router.get("throttled") { _, _ in
            observed.hit("throttled") == 1
                ? Response(status: .tooManyRequests, headers: [.retryAfter: "1"]) : Response(status: .ok)
        }
        router.get("go-away") { _, _ in Response(status: .tooManyRequests, headers: [.retryAfter: "3600"]) }
        router.get("missing") { _, _ in
            _ = observed.hit("missing")
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such thing")))
        }
        router.post("echo") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, body: .init(byteBuffer: body))
        }
        router.get("file") { request, _ in
            _ = observed.hit("file")
            return Self.serveRange(request, observed: observed, honourRange: true)
        }
        router.get("file-no-range") { request, _ in Self.serveRange(request, observed: observed, honourRange: false) }
        router.get("file-interrupted") { request, _ in
            // The first answer promises everything, sends half, then breaks the connection.
            if observed.hit("file-interrupted") == 1 {
                let half = ByteBuffer(bytes: Self.payload.prefix(Self.payload.count / 2))
                return Response(status: .ok, headers: [.contentLength: String(Self.payload.count)], body: .init { writer in
                    try await writer.write(half)
                    throw CancellationError()
                })
            }
            return Self.serveRange(request, observed: observed, honourRange: true)
        }
        return router
    }

    static func serveRange(_ request: Request, observed: Observed, honourRange: Bool) -> Response {
        let range = request.headers[.range]
        observed.ranges.withLock { $0.append(range ?? "") }
        if honourRange, let range, range.hasPrefix("bytes="), let start = Int(range.dropFirst(6).split(separator: "-").first ?? "") {
            if start >= payload.count { return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(payload.count)"]) }
            return Response(
                status: .partialContent,
                headers: [.contentRange: "bytes \(start)-\(payload.count - 1)/\(payload.count)"],
                body: .init(byteBuffer: ByteBuffer(bytes: payload[start...])))
        }
        return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: payload)))
    }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + uniqueName("http")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256Vectors() {
        #expect(SHA256.hash([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hash(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var streamed = SHA256()
        for chunk in stride(from: 0, to: long.count, by: 7) { streamed.update(long[chunk..<min(chunk + 7, long.count)]) }
        #expect(streamed.finalize() == SHA256.hash(long))
        // A million a's (FIPS 180-4's long vector), whole, in chunks that straddle blocks, and not contiguous.
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hash(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var chunked = SHA256()
        for chunk in stride(from: 0, to: million.count, by: 1_000_003 % 97) { chunked.update(million[chunk..<min(chunk + 1_000_003 % 97, million.count)]) }
        #expect(chunked.finalize() == SHA256.hash(million))
        #expect(SHA256.hash(million.lazy.map { $0 }) == SHA256.hash(million))
    }

    @Test("GET returns status, headers and body; POST sends its body")
    func getAndPost() async throws {
        let observed = Observed()
        try await withLocalHTTPServer(router(observed)) { base in
            let client = makeClient()
            let response = try await client.get(base + "/hello")
            #expect(response.status == 200)
            #expect(response.text == "hello")
            #expect(response.headers["x-greeting"] == "hi")
            let echoed = try await client.post(base + "/echo", body: Array("{\"q\":1}".utf8))
            #expect(echoed.text == "{\"q\":1}")
        }
    }

    @Test("5xx answers are retried with back-off until one succeeds")
    func retriesServerErrors() async throws {
        let observed = Observed()
        try await withLocalHTTPServer(router(observed)) { base in
            let response = try await makeClient().get(base + "/flaky")
            #expect(response.text == "finally")
            #expect(response.attempts == 3)
        }
    }

    @Test("429 with Retry-After waits as asked; one asking too long is returned as is")
    func honoursRetryAfter() async throws {
        let observed = Observed()
        try await withLocalHTTPServer(router(observed)) { base in
            let client = makeClient()
            let response = try await client.get(base + "/throttled")
            #expect(response.attempts == 2)
            let times = observed.times.withLock { $0 }
            #expect(times[1] - times[0] >= .milliseconds(950))
            let refused = try await client.send(HTTPClientRequest(url: base + "/go-away"))
            #expect(refused.status == 429)
            #expect(refused.attempts == 1)
        }
    }

    @Test("Retry-After: seconds or an HTTP date; anything else, a combining mark after a digit among it, is no wait (found by fuzzing: the date parser stopped the process)")
    func retryAfterValues() throws {
        let now = try Date("2026-12-03T10:00:00Z", strategy: .iso8601)
        #expect(RetryPolicy.retryAfter(" 7 ", now: now) == .seconds(7))
        #expect(RetryPolicy.retryAfter("Thu, 03 Dec 2026 10:00:30 GMT", now: now) == .seconds(30))
        #expect(RetryPolicy.retryAfter("Thu, 0\u{73E}3 Dec 2026 10:00:30 GMT", now: now) == nil)
        #expect(RetryPolicy.retryAfter("soon", now: now) == nil)
    }

    @Test("a 404 is final: not retried, and get() throws with the URL and status")
    func clientErrorsAreFinal() async throws {
        let observed = Observed()
        try await withLocalHTTPServer(router(observed)) { base in
            let error = await #expect(throws: HTTPClientError.self) { try await makeClient().get(base + "/missing") }
            #expect("\(error!)".contains("404"))
            #expect("\(error!)".contains("/missing"))
            #expect(observed.counts.withLock { $0["missing"] } == 1)
        }
    }

    @Test("a refused connection is a transport error after the configured attempts")
    func refusedConnection() async throws {
        let error = await #expect(throws: HTTPClientError.self) { try await makeClient(attempts: 2).get("http://127.0.0.1:1/x") }
        guard case .transport(let url, let code, _) = error else { Issue.record("expected a transport error"); return }
        #expect(url == "http://127.0.0.1:1/x")
        #expect(code == 7)
    }

    @Test("requests to one host are spaced by the rate limiter")
    func rateLimit() async throws {
        let observed = Observed()
        try await withLocalHTTPServer(router(observed)) { base in
            let client = makeClient(interval: .milliseconds(200))
            let began = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { _ = try await client.send(HTTPClientRequest(url: base + "/missing")) } }
                try await group.waitForAll()
            }
            let times = observed.times.withLock { $0.sorted() }
            #expect(times.count == 3)
            // The client spaces the starts of its requests (slots at 0, 200 and 400 ms); arrivals may be
            // delayed further on a busy machine but never earlier, so the third cannot arrive before 400 ms.
            #expect(try #require(times.last) - began >= .milliseconds(400))
        }
    }

    @Test("a download continues a partial file with Range and verifies the checksum")
    func resumesDownloads() async throws {
        let observed = Observed()
        let directory = try temporaryDirectory()
        try await withLocalHTTPServer(router(observed)) { base in
            let path = directory + "/spectrum.fits.gz"
            _ = FileManager.default.createFile(atPath: path + ".part", contents: Data(Self.payload.prefix(50_000)))
            let result = try await makeClient().download(base + "/file", to: path, expectedSHA256: SHA256.hash(Self.payload))
            #expect(result.resumedFrom == 50_000)
            #expect(result.bytes == Self.payload.count)
            #expect(observed.ranges.withLock { $0 } == ["bytes=50000-"])
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(Self.payload))
            #expect(!FileManager.default.fileExists(atPath: path + ".part"))
        }
    }

    @Test("a server that ignores Range still yields the right file")
    func ignoredRange() async throws {
        let observed = Observed()
        let directory = try temporaryDirectory()
        try await withLocalHTTPServer(router(observed)) { base in
            let path = directory + "/s.fits.gz"
            _ = FileManager.default.createFile(atPath: path + ".part", contents: Data(repeating: 9, count: 1000))
            let result = try await makeClient().download(base + "/file-no-range", to: path)
            #expect(result.sha256 == SHA256.hash(Self.payload))
        }
    }

    @Test("a connection broken mid-download is resumed from where it stopped")
    func interruptedDownload() async throws {
        let observed = Observed()
        let directory = try temporaryDirectory()
        try await withLocalHTTPServer(router(observed)) { base in
            let path = directory + "/s.fits.gz"
            let result = try await makeClient().download(base + "/file-interrupted", to: path)
            #expect(result.sha256 == SHA256.hash(Self.payload))
            let ranges = observed.ranges.withLock { $0 }
            #expect(ranges.count == 1)
            #expect(ranges.first?.hasPrefix("bytes=") == true)
        }
    }

    @Test("size limits and checksum mismatches fail without leaving a file behind")
    func limitsAndChecksums() async throws {
        let observed = Observed()
        let directory = try temporaryDirectory()
        try await withLocalHTTPServer(router(observed)) { base in
            let path = directory + "/big.fits.gz"
            await #expect(throws: HTTPClientError.self) { try await makeClient().download(base + "/file", to: path, maxSize: 100_000) }
            await #expect(throws: HTTPClientError.self) {
                try await makeClient().download(base + "/file", to: path, expectedSHA256: String(repeating: "0", count: 64))
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: path + ".part"))
            await #expect(throws: HTTPClientError.self) { try await makeClient(maxResponse: 1000).get(base + "/file") }
        }
    }

    @Test("file:// URLs read and download like http ones; a missing file is a clear error")
    func fileURLs() async throws {
        let directory = try temporaryDirectory()
        let source = directory + "/source.bin"
        _ = FileManager.default.createFile(atPath: source, contents: Data(Self.payload))
        let client = makeClient()
        #expect(try await client.get("file://" + source).body == Self.payload)
        let target = directory + "/copy.bin"
        _ = FileManager.default.createFile(atPath: target + ".part", contents: Data(Self.payload.prefix(1234)))
        let result = try await client.download("file://" + source, to: target)
        #expect(result.resumedFrom == 1234)
        #expect(result.sha256 == SHA256.hash(Self.payload))
        let error = await #expect(throws: HTTPClientError.self) { try await client.get("file://" + directory + "/absent") }
        #expect("\(error!)".contains("absent"))
    }

    /// A request context that knows the client's port: one port, one TCP connection.
    struct ConnectionContext: RequestContext {
        var coreContext: CoreRequestContextStorage
        let clientPort: Int

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            clientPort = source.channel.remoteAddress?.port ?? -1
        }
    }

    func connectionRouter() -> Router<ConnectionContext> {
        let router = Router(context: ConnectionContext.self)
        router.get("port") { _, context in "\(context.clientPort)" }
        router.get("closing") { _, context in
            Response(status: .ok, headers: [.connection: "close"], body: .init(byteBuffer: ByteBuffer(string: "\(context.clientPort)")))
        }
        router.on("method", method: .get) { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return "\(request.method) \(body.readableBytes)"
        }
        router.on("method", method: .post) { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            return "\(request.method) \(body.readableBytes)"
        }
        return router
    }

    @Test("requests to one server reuse one kept-alive connection; a connection the server closes is replaced; nothing of one request's options leaks into the next")
    func connectionReuse() async throws {
        try await withLocalHTTPServer(connectionRouter()) { base in
            var configuration = HTTPClient.Configuration()
            configuration.concurrency = 1
            let client = HTTPClient(configuration: configuration)
            var ports: [String] = []
            for _ in 0..<10 { ports.append(try await client.get(base + "/port").text) }
            #expect(Set(ports).count == 1, "ten requests, one after another, should share a connection: \(ports)")

            // The server says it closes this connection: the next request opens another and succeeds.
            let closed = try await client.get(base + "/closing").text
            #expect(closed == ports[0])
            let after = [try await client.get(base + "/port").text, try await client.get(base + "/port").text]
            #expect(after[0] != closed && after[0] == after[1])

            // A POST's body, method and headers are gone by the next GET on the same handle.
            #expect(try await client.post(base + "/method", body: Array("twelve bytes".utf8)).text == "POST 12")
            #expect(try await client.get(base + "/method").text == "GET 0")
        }
    }
}
