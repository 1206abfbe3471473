import Arxiv
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import Redis
import Streams
import Synchronization
import Testing

@Suite("arxiv-poller harvesting OAI-PMH from a local server that serves the three real pages in token order")
struct OAIHarvestTests {
    /// What the repository was asked, and when.
    final class RequestLog: Sendable {
        private let state = Mutex<[(Double, String)]>([])
        func append(_ uri: String) { state.withLock { $0.append((Date().timeIntervalSince1970, uri)) } }
        var all: [(Double, String)] { state.withLock { $0 } }
    }

    /// The OAI-PMH repository: page 0 for a new list, the next page for each token, one 503
    /// (`Retry-After: 1`) before page 1, a last page with an empty token; `set=bad` is a
    /// `badArgument`, an unknown token a `badResumptionToken`.
    static func router(requests: RequestLog) throws -> Router<BasicRequestContext> {
        let pages = try (0..<3).map { try Data(contentsOf: Fixtures.arxivOAI.appendingPathComponent("listrecords-\($0).xml")) }
        @Sendable func oai(_ body: String) -> Data {
            Data("""
                <?xml version="1.0" encoding="UTF-8"?>
                <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-12-02T00:00:00Z</responseDate>\(body)</OAI-PMH>
                """.utf8)
        }
        let last = oai("<ListRecords><resumptionToken completeListSize=\"1405437\" cursor=\"3000\"></resumptionToken></ListRecords>")
        let refused = Mutex(false)
        let router = Router()
        router.get("oai2") { request, _ -> Response in
            requests.append(request.uri.description)
            let query = request.uri.queryParameters
            let xml: HTTPFields = [.contentType: "text/xml; charset=utf-8"]
            func answer(_ data: Data) -> Response { Response(status: .ok, headers: xml, body: .init(byteBuffer: ByteBuffer(bytes: data))) }
            guard query.get("verb") == "ListRecords" else { return answer(oai("<error code=\"badVerb\">Illegal verb</error>")) }
            switch query.get("resumptionToken")?.removingPercentEncoding {
            case nil:
                if query.get("set") == "bad" { return answer(oai("<error code=\"badArgument\">Invalid set: bad</error>")) }
                return answer(pages[0])
            case "2752941|1001":
                let refusedBefore = refused.withLock { value in
                    let was = value
                    value = true
                    return was
                }
                if !refusedBefore {
                    return Response(status: .serviceUnavailable, headers: [.retryAfter: "1"], body: .init(byteBuffer: ByteBuffer(string: "busy")))
                }
                return answer(pages[1])
            case "2752941|2001": return answer(pages[2])
            case "2752941|3001": return answer(last)
            default: return answer(oai("<error code=\"badResumptionToken\">The value of the resumptionToken argument is invalid or expired.</error>"))
            }
        }
        return router
    }

    @Test("""
        a backfill via OAI-PMH follows the tokens to the empty one, waits out a 503's Retry-After, stores and announces \
        each of the 3,000 records once, reports progress per page; a rerun stores nothing new; an OAI error is dead-lettered
        """)
    func harvest() async throws {
        let requests = RequestLog()
        try await withLocalHTTPServer(try Self.router(requests: requests)) { base in
            let redisServer = try PrivateRedis()
            let environment = [
                "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(),
                "ARXIV_OAI_URL": base + "/oai2", "ARXIV_MIN_INTERVAL_MS": "0", "POLL_INTERVAL_S": "0",
            ]
            let poller = try ServiceProcess("arxiv-poller", environment: environment)
            let port = try await poller.httpPort()
            func finished() -> [String] { poller.lines.filter { $0.contains("\"oai harvest finished\"") } }
            let backfill = ["backfill", "--from", "2007-04-01", "--until", "2007-04-30", "--via", "oai", "--set", "physics:hep-ph"]
            let command = try ServiceProcess("arxiv-poller", arguments: backfill, environment: environment)
            #expect(await command.waitForExit() == 0)
            try await eventually(timeout: .seconds(240), "the harvest finished") { finished().count == 1 }

            let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
            let announced = try await redis.xrange(StreamName.arxivArticles, count: 5000).map {
                try ArxivArticle(envelope: Envelope(entry: $0), stream: StreamName.arxivArticles)
            }
            #expect(announced.count == 3000 && Set(announced.map(\.entry.id)).count == 3000)
            #expect(announced.allSatisfy { $0.source == "oai:physics:hep-ph:2007-04-01..2007-04-30" })
            struct Counts: Decodable { var articles: Int; var versions: Int }
            let counts = try JSONDecoder().decode(Counts.self, from: Data(try await HTTPClient().get("http://127.0.0.1:\(port)/api/arxiv/counts").body))
            #expect(counts.articles == 3000 && counts.versions == 3000)

            let asked = requests.all
            #expect(asked.count == 5, "\(asked.map(\.1))")
            #expect(asked.first?.1 == "/oai2?verb=ListRecords&metadataPrefix=arXiv&from=2007-04-01&until=2007-04-30&set=physics:hep-ph")
            #expect(asked.dropFirst().map { $0.1.removingPercentEncoding ?? "" } == [
                "/oai2?verb=ListRecords&resumptionToken=2752941|1001", "/oai2?verb=ListRecords&resumptionToken=2752941|1001",
                "/oai2?verb=ListRecords&resumptionToken=2752941|2001", "/oai2?verb=ListRecords&resumptionToken=2752941|3001",
            ])
            #expect(asked[2].0 - asked[1].0 >= 0.95, "the retry came \(asked[2].0 - asked[1].0) s after the 503")
            let progress = poller.lines.filter { $0.contains("\"oai page\"") }
            #expect(progress.count == 4 && progress.allSatisfy { $0.contains("\"complete_list_size\":\"1405437\"") })
            #expect(progress.last?.contains("\"harvested\":\"3000\"") == true, "\(progress)")

            // Again: every record is known.
            let again = try ServiceProcess("arxiv-poller", arguments: backfill, environment: environment)
            #expect(await again.waitForExit() == 0)
            try await eventually(timeout: .seconds(240), "the second harvest finished") { finished().count == 2 }
            #expect(finished().last?.contains("\"new_articles\":\"0\"") == true && finished().last?.contains("\"known\":\"3000\"") == true)
            #expect(try await redis.xlen(StreamName.arxivArticles) == 3000)

            let bad = try ServiceProcess(
                "arxiv-poller", arguments: ["backfill", "--from", "2007-04-01", "--until", "2007-04-02", "--via", "oai", "--set", "bad"],
                environment: environment)
            #expect(await bad.waitForExit() == 0)
            try await eventually("the OAI error is dead-lettered") { try await redis.xlen(StreamName.arxivPollRequests + ".dlq") == 1 }
            let dead = try await redis.xrange(StreamName.arxivPollRequests + ".dlq")
            #expect(dead.first?.fields["dlq_error"]?.contains("OAI-PMH error badArgument: Invalid set: bad") == true, "\(dead)")
            await expectCleanShutdown([poller])
        }
    }

    @Test("the backfill command refuses --set without --via oai, and a range that runs backwards")
    func backfillArguments() async throws {
        let set = try ServiceProcess("arxiv-poller", arguments: ["backfill", "--from", "2007-04-01", "--until", "2007-04-02", "--set", "cs"])
        #expect(await set.waitForExit() != 0)
        #expect(set.errorText.contains("--set selects an OAI-PMH set: use it with --via oai"), "\(set.errorText)")
        let backwards = try ServiceProcess("arxiv-poller", arguments: ["backfill", "--from", "2007-04-02", "--until", "2007-04-01", "--via", "oai"])
        #expect(await backwards.waitForExit() != 0)
        #expect(backwards.errorText.contains("--from 2007-04-02 is after --until 2007-04-01"), "\(backwards.errorText)")
    }
}
