import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Redis
import ServiceKit
import Streams
import Testing

@testable import gateway

/// The gateway built as the service builds it, on a Redis of its own (dead-letter streams have
/// fixed names), driven in-process through Hummingbird's test client.
struct TestGateway {
    let redis: PrivateRedis
    let connection: RedisConnection
    let service: BuiltService
    let api: GatewayAPI

    init(token: String? = "s3cret-token", readToken: String? = nil) async throws {
        redis = try PrivateRedis()
        var environment = [
            "REDIS_URL": redis.url, "HTTP_PORT": "0", "LOG_LEVEL": "critical",
            // Nothing answers there: the status shows every service down, promptly.
            "GATEWAY_STATUS_REFRESH_MS": "100000",
        ]
        for entry in ServiceDirectory.services where entry.name != "gateway" {
            environment[entry.name.uppercased().replacingOccurrences(of: "-", with: "_") + "_URL"] = "http://127.0.0.1:9"
        }
        if let token { environment["GATEWAY_TOKEN"] = token }
        if let readToken { environment["GATEWAY_READ_TOKEN"] = readToken }
        var runtime = try ServiceRuntime(service: "gateway", environment: EnvironmentReader(environment))
        let configuration = try GatewayConfiguration(environment: EnvironmentReader(environment))
        (service, api) = buildGateway(runtime: &runtime, configuration: configuration)
        connection = try await RedisConnection.connect(RedisConfiguration(url: redis.url))
    }

    func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await service.application.test(.router, body)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }
    func object() throws -> [String: Any] { try #require(try json() as? [String: Any]) }
}

func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

/// Puts a dead letter on `<stream>.dlq` as the runtime would.
func deadLetter(_ stream: String, number: Int, on redis: RedisConnection) async throws -> String {
    let envelope = try TestMessage(number: number, payload: "bad").envelope(trace: "trace-\(number)", producer: "test")
    let fields = envelope.fields + [
        ("dlq_error", "cannot digest message \(number)"), ("dlq_source_stream", stream), ("dlq_source_id", "1-\(number)"),
        ("dlq_group", "g"), ("dlq_consumer", "c"), ("dlq_deliveries", "5"), ("dlq_at", "2026-12-01T00:00:00Z"),
    ]
    return try await redis.xadd(stream + ".dlq", fields: fields)
}

@Suite("gateway: REST API, OpenAPI document, tokens and dead-letter tools, in-process")
struct GatewayAPITests {
    @Test("the OpenAPI document and the routes agree: every documented operation is a route, every route is documented, and each answers a documented status")
    func documentMatchesRoutes() async throws {
        let gateway = try await TestGateway()
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let routed = Set(gateway.api.operations.map { "\($0.method.rawValue) \($0.path)" })
        #expect(documented == routed)

        _ = try await deadLetter(StreamName.spectraDownloaded, number: 1, on: gateway.connection)
        let letter = try #require(try await gateway.connection.xrange(StreamName.spectraDownloaded + ".dlq").first)
        try await gateway.test { client in
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (path, operations) in paths {
                for (method, operation) in operations {
                    let operation = try #require(operation as? [String: Any])
                    let responses = Set((operation["responses"] as? [String: Any] ?? [:]).keys)
                    let id = path.hasPrefix("/api/papers") ? "2202.12139" : path.hasPrefix("/api/drift") ? "1" : letter.id
                    let uri = path.replacingOccurrences(of: "{stream}", with: StreamName.spectraDownloaded).replacingOccurrences(of: "{id}", with: id)
                        .replacingOccurrences(of: "{obsid}", with: "901001").replacingOccurrences(of: "{kind}", with: "spectra-class")
                        .replacingOccurrences(of: "{version}", with: "1")
                    let body: ByteBuffer? = method == "post" ? ByteBuffer(string: "{}") : nil
                    let response = try await client.execute(uri: uri, method: HTTPRequest.Method(method.uppercased())!, headers: bearer("s3cret-token"), body: body)
                    #expect(responses.contains(String(response.status.code)), "\(method.uppercased()) \(uri) answered \(response.status.code): \(response.text)")
                }
            }
        }
    }

    @Test("a result whose owning service does not answer is a 503 naming that service; bad query parameters are 400s naming them")
    func ownersDown() async throws {
        let gateway = try await TestGateway()
        try await gateway.test { client in
            for (uri, service) in [
                ("/api/spectra/901001", "cataloger"), ("/api/spectra?class=STAR", "classifier"), ("/api/papers?category=astro-ph", "arxiv-poller"),
                ("/api/models", "trainer"), ("/api/drift/reports", "drift-monitor"),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .serviceUnavailable, "\(uri)")
                let problem = try response.object()
                #expect(problem["service"] as? String == service, "\(uri): \(response.text)")
            }
            for (uri, parameter) in [
                ("/api/spectra?min_confidence=1.5", "min_confidence"), ("/api/spectra?colour=red", "colour"),
                ("/api/papers?from=yesterday", "from"), ("/api/spectra/abc", "obsid"), ("/api/models/spectra-class/latest-but-one", "version"),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri): \(response.text)")
                let problem = try response.object()
                #expect(problem["parameter"] as? String == parameter, "\(uri): \(response.text)")
            }
            #expect(try await client.execute(uri: "/api/models/no-such-kind/latest", method: .get).status == .notFound)
        }
    }

    @Test("state-changing calls need the bearer token: without GATEWAY_TOKEN they are refused with a 403 saying how to allow them")
    func mutationsNeedAToken() async throws {
        let open = try await TestGateway(token: nil)
        try await open.test { client in
            let refused = try await client.execute(uri: "/api/actions/train", method: .post, body: ByteBuffer(string: "{}"))
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try refused.object()["detail"] as? String ?? "" == "this gateway has no GATEWAY_TOKEN: set GATEWAY_TOKEN in its environment to allow state-changing calls")
            let status1 = try await client.execute(uri: "/api/status", method: .get).status
            #expect(status1 == .ok, "reads stay open")
        }
        let guarded = try await TestGateway(token: "s3cret-token")
        try await guarded.test { client in
            let missing = try await client.execute(uri: "/api/actions/train", method: .post, body: ByteBuffer(string: "{}"))
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            let wrong = try await client.execute(uri: "/api/actions/train", method: .post, headers: bearer("s3cret-tokeN"), body: ByteBuffer(string: "{}"))
            #expect(wrong.status == .unauthorized)
            let right = try await client.execute(uri: "/api/actions/train", method: .post, headers: bearer("s3cret-token"), body: ByteBuffer(string: #"{"kinds":["spectra-mk"],"selection":"unused"}"#))
            #expect(right.status == .accepted, "\(right.text)")
            let accepted = try right.object()
            #expect(accepted["stream"] as? String == StreamName.modelsTrainRequests)
        }
        let published = try await guarded.connection.xrange(StreamName.modelsTrainRequests)
        #expect(published.count == 1)
        let request = try TrainRequest(envelope: Envelope(entry: try #require(published.first)), stream: StreamName.modelsTrainRequests)
        #expect(request.kinds == [.spectraMK] && request.selection == .unused && request.reason == "gateway")
    }

    @Test("with GATEWAY_READ_TOKEN set, reading the API needs it (or the write token); probes, the dashboard's shell and the document stay open")
    func readToken() async throws {
        let gateway = try await TestGateway(token: "writer", readToken: "reader")
        try await gateway.test { client in
            let status2 = try await client.execute(uri: "/api/status", method: .get).status
            #expect(status2 == .unauthorized)
            let status3 = try await client.execute(uri: "/api/status", method: .get, headers: bearer("nope")).status
            #expect(status3 == .unauthorized)
            let status4 = try await client.execute(uri: "/api/status", method: .get, headers: bearer("reader")).status
            #expect(status4 == .ok)
            let status5 = try await client.execute(uri: "/api/dead-letters", method: .get, headers: bearer("writer")).status
            #expect(status5 == .ok)
            for open in ["/livez", "/", "/dead-letters", "/docs", "/openapi.json", "/assets/dashboard.js"] {
                let status6 = try await client.execute(uri: open, method: .get).status
                #expect(status6 == .ok, "\(open)")
            }
            // The read token does not allow changes.
            let status7 = try await client.execute(uri: "/api/actions/train", method: .post, headers: bearer("reader"), body: ByteBuffer(string: "{}")).status
            #expect(status7 == .unauthorized)
        }
    }

    @Test("dead letters: counted per stream, paged oldest first with error, source and attempts; one replayed back onto its stream, then all; one deleted; the rest purged")
    func deadLetterTools() async throws {
        let gateway = try await TestGateway()
        let stream = StreamName.spectraCataloged
        var added: [String] = []
        for number in 0..<7 { added.append(try await deadLetter(stream, number: number, on: gateway.connection)) }
        let ids = added
        try await gateway.test { client in
            let counts = try #require(try await client.execute(uri: "/api/dead-letters", method: .get).json() as? [[String: Any]])
            #expect(counts.first { $0["stream"] as? String == stream }?["dead_letters"] as? Int == 7)

            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.execute(uri: "/api/dead-letters/\(stream)?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""), method: .get).object()
                let items = try #require(page["items"] as? [[String: Any]])
                #expect(items.count <= 3)
                #expect(page["total"] as? Int == 7)
                seen += items.compactMap { $0["id"] as? String }
                if let first = items.first {
                    #expect((first["error"] as? String)?.hasPrefix("cannot digest message") == true)
                    #expect(first["source_stream"] as? String == stream && first["deliveries"] as? Int == 5 && first["type"] as? String == TestMessage.type)
                    #expect(first["fields"] == nil, "a page carries no bodies")
                }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == ids, "every letter once, oldest first")

            let one = try await client.execute(uri: "/api/dead-letters/\(stream)/\(ids[0])", method: .get).object()
            #expect((one["fields"] as? [String: String])?["body"]?.contains("\"number\":0") == true)

            // Two replays of one letter at once (a double click, the CLI beside the dashboard): published once.
            async let first = client.execute(uri: "/api/dead-letters/\(stream)/\(ids[0])/replay", method: .post, headers: bearer("s3cret-token"))
            async let second = client.execute(uri: "/api/dead-letters/\(stream)/\(ids[0])/replay", method: .post, headers: bearer("s3cret-token"))
            let statuses = [try await first.status, try await second.status].map(\.code).sorted()
            #expect(statuses == [202, 404], "\(statuses)")
            let status8 = try await client.execute(uri: "/api/dead-letters/\(stream)/\(ids[0])/replay", method: .post, headers: bearer("s3cret-token")).status
            #expect(status8 == .notFound)
            let status9 = try await client.execute(uri: "/api/dead-letters/\(stream)/\(ids[1])", method: .delete, headers: bearer("s3cret-token")).status
            #expect(status9 == .noContent)
            let all = try await client.execute(uri: "/api/dead-letters/\(stream)/replay", method: .post, headers: bearer("s3cret-token")).object()
            #expect(all["replayed"] as? String == "5")
            _ = try await deadLetter(stream, number: 9, on: gateway.connection)
            let purged = try await client.execute(uri: "/api/dead-letters/\(stream)", method: .delete, headers: bearer("s3cret-token")).object()
            #expect(purged["purged"] as? String == "1")
        }
        let back = try await gateway.connection.xrange(stream)
        #expect(back.count == 6, "one replayed alone, five with replay-all; the deleted one is gone")
        let numbers = try back.map { try TestMessage(envelope: Envelope(entry: $0), stream: stream).number }
        #expect(numbers == [0, 2, 3, 4, 5, 6])
        #expect(back.allSatisfy { $0.fields.keys.allSatisfy { !$0.hasPrefix("dlq_") } })
        #expect(try await gateway.connection.xlen(stream + ".dlq") == 0)
    }

    @Test("bad parameters are problem documents naming the parameter; unknown streams, letters and paths are 404 problems")
    func problems() async throws {
        let gateway = try await TestGateway()
        try await gateway.test { client in
            for (uri, parameter) in [
                ("/api/dead-letters/spectra.downloaded?limit=0", "limit"), ("/api/dead-letters/spectra.downloaded?limit=lots", "limit"),
                ("/api/dead-letters/spectra.downloaded?cursor=abc", "cursor"), ("/api/dead-letters/spectra.downloaded/12x", "id"),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(try response.object()["parameter"] as? String == parameter, "\(uri): \(response.text)")
            }
            let fetch = try await client.execute(uri: "/api/actions/fetch", method: .post, headers: bearer("s3cret-token"), body: ByteBuffer(string: #"{"base_url":"ftp://x","plans":["A"]}"#))
            let fetchProblem = try fetch.object()
            #expect(fetch.status == .badRequest && fetchProblem["parameter"] as? String == "base_url")
            let missing = try await client.execute(uri: "/api/actions/arxiv-backfill", method: .post, headers: bearer("s3cret-token"), body: ByteBuffer(string: #"{"from":"2024-01-01"}"#))
            let missingProblem = try missing.object()
            #expect(missingProblem["parameter"] as? String == "until")
            let backwards = try await client.execute(uri: "/api/actions/arxiv-backfill", method: .post, headers: bearer("s3cret-token"), body: ByteBuffer(string: #"{"from":"2024-02-01","until":"2024-01-01"}"#))
            #expect(backwards.status == .badRequest)
            // Days a lenient parser took or died on (a digit with a combining mark stopped the process; found by fuzzing).
            for day in ["2\u{73E}24-01-01", "2024-1-1", "2024-02-30"] {
                let bad = try await client.execute(
                    uri: "/api/actions/arxiv-backfill", method: .post, headers: bearer("s3cret-token"),
                    body: ByteBuffer(string: #"{"from":"\#(day)","until":"2024-03-01"}"#))
                let problem = try bad.object()
                #expect(bad.status == .badRequest && problem["parameter"] as? String == "from", "\(day): \(bad.text)")
            }
            let unknown = try await client.execute(uri: "/api/dead-letters/no.such.stream", method: .get)
            let unknownProblem = try unknown.object()
            #expect(unknown.status == .notFound && (unknownProblem["detail"] as? String)?.contains("no.such.stream") == true)
            let noLetter = try await client.execute(uri: "/api/dead-letters/spectra.downloaded/1-1", method: .get)
            #expect(noLetter.status == .notFound && noLetter.headers[.contentType] == "application/problem+json")
            let noPath = try await client.execute(uri: "/api/nothing-here", method: .get)
            #expect(noPath.status == .notFound)
            let version = try await client.execute(uri: "/api/models/spectra-mk/2305843009213693951", method: .get)
            let versionProblem = try version.object()
            #expect(version.status == .badRequest && versionProblem["parameter"] as? String == "version", "a version past PostgreSQL's integers")
            // Shaped like entry ids, but past Redis' 64-bit halves: no such letter, nothing after such a cursor.
            let huge = try await client.execute(uri: "/api/dead-letters/spectra.downloaded/1-99999999999999999999", method: .get)
            #expect(huge.status == .notFound)
            let hugeCursor = try await client.execute(uri: "/api/dead-letters/spectra.downloaded?cursor=99999999999999999999-0", method: .get)
            let hugeCursorPage = try hugeCursor.object()
            #expect(hugeCursor.status == .ok && (hugeCursorPage["items"] as? [Any])?.isEmpty == true)
            let nullKinds = try await client.execute(uri: "/api/actions/train", method: .post, headers: bearer("s3cret-token"), body: ByteBuffer(string: #"{"kinds":null}"#))
            let nullKindsProblem = try nullKinds.object()
            #expect(nullKinds.status == .badRequest && nullKindsProblem["parameter"] as? String == "kinds")
            let accented = try await client.execute(uri: "/api/spectra?mk=d%C3%83", method: .get)
            let accentedProblem = try accented.object()
            #expect(accented.status == .badRequest && accentedProblem["parameter"] as? String == "mk", "labels are ASCII words, as documented")
            let unknownFilter = try await client.execute(uri: "/api/papers?colour=red", method: .get)
            let unknownFilterProblem = try unknownFilter.object()
            #expect(unknownFilter.status == .badRequest && unknownFilterProblem["parameter"] as? String == "colour")
        }
    }

    @Test("a method a path does not take is a 405 listing the methods it does (even without a token); HEAD answers as GET without a body; OPTIONS lists them")
    func methods() async throws {
        let gateway = try await TestGateway()
        try await gateway.test { client in
            for (method, uri, allow) in [
                (HTTPRequest.Method.put, "/api/status", "GET, HEAD, OPTIONS"), (.delete, "/api/spectra", "GET, HEAD, OPTIONS"),
                (.get, "/api/actions/train", "POST, OPTIONS"), (.patch, "/api/dead-letters/spectra.downloaded/1-1", "DELETE, GET, HEAD, OPTIONS"),
            ] {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(uri)")
                #expect(response.headers[.allow] == allow && response.headers[.contentType] == "application/problem+json", "\(method) \(uri)")
            }
            // Two templates share this shape (…/{stream}/replay and …/{stream}/{id}): each keeps its methods.
            let replay = try await client.execute(uri: "/api/dead-letters/spectra.downloaded/replay", method: .post)
            #expect(replay.status == .unauthorized, "POST reaches the replay route, which wants the token")
            let head = try await client.execute(uri: "/api/dead-letters", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0, "\(head.status) \(head.text)")
            let get = try await client.execute(uri: "/api/dead-letters", method: .get)
            #expect(head.headers[.contentLength] == get.headers[.contentLength], "HEAD says how long the GET's body is")
            let options = try await client.execute(uri: "/api/dead-letters/spectra.downloaded", method: .options)
            #expect(options.status == .noContent && options.headers[.allow] == "DELETE, GET, HEAD, OPTIONS")
        }
    }

    @Test("/api/status answers from the background snapshot and says its age; a service that does not answer is shown down, and the gateway keeps serving")
    func statusSnapshot() async throws {
        let gateway = try await TestGateway()
        try await gateway.test { client in
            let first = try await client.execute(uri: "/api/status", method: .get).object()
            let services = try #require(first["services"] as? [[String: Any]])
            #expect(services.count == ServiceDirectory.services.count - 1)
            #expect(services.allSatisfy { $0["reachable"] as? Bool == false && $0["error"] != nil })
            try await Task.sleep(for: .milliseconds(300))
            let again = try await client.execute(uri: "/api/status", method: .get).object()
            #expect(again["generatedAt"] as? String == first["generatedAt"] as? String, "the same snapshot, not a new probe of every service")
            #expect((again["ageSeconds"] as? Double ?? 0) >= 0.3)
            #expect((again["streams"] as? [[String: Any]])?.count == StreamName.all.count)
        }
    }

    @Test("the dashboard and /docs are served by the gateway alone: no external script, style or font")
    func dashboardIsSelfContained() async throws {
        let gateway = try await TestGateway()
        try await gateway.test { client in
            for page in ["/", "/dead-letters", "/docs"] {
                let html = try await client.execute(uri: page, method: .get).text
                #expect(html.contains("<!doctype html>"))
                // Scripts, styles, images and fonts load only from the gateway's own paths.
                let external = ["src=\"http", "src=\"//", "href=\"http", "href=\"//", "url(http", "url(//", "@import"].filter { html.contains($0) }
                #expect(external.isEmpty, "\(page) loads \(external) from outside the gateway")
            }
            let docs = try await client.execute(uri: "/docs", method: .get).text
            #expect(docs.contains("/api/dead-letters/{stream}/{id}/replay") && docs.contains("Problem"))
            let script = try await client.execute(uri: "/assets/dashboard.js", method: .get).text
            let style = try await client.execute(uri: "/assets/dashboard.css", method: .get).text
            #expect(script.contains("sessionStorage") && !script.contains("s3cret-token"), "the token lives in the tab, never in what the gateway serves")
            // The SVG namespace is a name, not an address the browser loads.
            let addresses = script.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
            #expect(!addresses.contains("://") && !style.contains("url("))
        }
    }
}
