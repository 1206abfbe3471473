import Arxiv
import AtomFeed
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import Redis
import Streams
import Synchronization
import Testing

@Suite("summarizer: TextRank by default, an OpenAI-compatible LLM when a key is configured")
struct SummarizerTests {
    /// A local server speaking `/v1/chat/completions`: the first call is told to come back in
    /// a second (429, Retry-After), papers titled with FAIL always get a 500.
    final class FakeLLM: Sendable {
        private let state = Mutex<(calls: Int, authorizations: Set<String>, tooMany: Int)>((0, [], 0))
        var calls: Int { state.withLock { $0.calls } }
        var authorizations: Set<String> { state.withLock { $0.authorizations } }
        var tooMany: Int { state.withLock { $0.tooMany } }

        struct Request: Decodable {
            struct Message: Decodable { var role: String; var content: String }
            var model: String
            var messages: [Message]
        }

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.post("v1/chat/completions") { request, context -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                let decoded = try JSONDecoder().decode(Request.self, from: Data(buffer: body))
                let first = self.state.withLock { state -> Bool in
                    state.calls += 1
                    state.authorizations.insert(request.headers[.authorization] ?? "")
                    if state.tooMany == 0 { state.tooMany = 1; return true }
                    return false
                }
                if first { return Response(status: .tooManyRequests, headers: [.retryAfter: "1"]) }
                let user = decoded.messages.last?.content ?? ""
                if user.contains("FAIL") { return Response(status: .internalServerError) }
                let content: String
                if let range = user.range(of: "language code ") {
                    let code = user[range.upperBound...].prefix(2)
                    content = "[\(code)] " + (user.components(separatedBy: "\n\n").last ?? "")
                } else {
                    content = "In plain words (\(decoded.model)): " + (user.components(separatedBy: "Title: ").last?.components(separatedBy: "\n").first ?? "")
                }
                let answer = ["choices": [["message": ["role": "assistant", "content": content]]]]
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: answer))))
            }
            return router
        }
    }

    static func articles() throws -> [ArxivArticle] {
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: Fixtures.arxiv.path).first { $0.hasPrefix("q_testing_s0_m10_") })
        let feed = try AtomParser.parse(try Data(contentsOf: Fixtures.arxiv.appendingPathComponent(name)), source: name)
        return feed.entries.prefix(3).map { ArxivArticle(entry: $0, isNewVersion: false, source: "test") }
    }

    struct Stored: Decodable {
        var method: String
        var model: String?
        var summary: String
        var extractive: String
        var translations: [String: String]
    }

    @Test("with a key: plain-language summary and translations per language, after honouring a 429; a paper the LLM keeps failing is dead-lettered, the others go through")
    func withLLM() async throws {
        let llm = FakeLLM()
        try await withLocalHTTPServer(llm.router()) { base in
            let redisServer = try PrivateRedis()
            let summarizer = try ServiceProcess("summarizer", environment: [
                "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "MONGO_URI": uniqueMongoURI(),
                "LLM_BASE_URL": base + "/v1", "LLM_API_KEY": "test-key", "LLM_MODEL": "tiny", "LLM_LANGUAGES": "fr,es",
                "LLM_MAX_ATTEMPTS": "2", "MAX_DELIVERIES": "2", "RECLAIM_IDLE_MS": "300",
            ])
            let port = try await summarizer.httpPort()
            let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
            var articles = try Self.articles()
            articles[1].entry.title = "FAIL " + articles[1].entry.title
            try await StreamProducer(redis: redis, producer: "test").publish(batch: articles)

            try await eventually("two summarized") { try await redis.xlen(StreamName.arxivSummarized) == 2 }
            try await eventually("one dead letter") { try await redis.xlen(StreamName.arxivArticles + ".dlq") == 1 }
            let dead = try await redis.xrange(StreamName.arxivArticles + ".dlq")
            #expect(dead.first?.fields["dlq_error"]?.contains("answered HTTP 500") == true, "\(dead)")
            let summarized = try await redis.xrange(StreamName.arxivSummarized).map {
                try ArxivSummarized(envelope: Envelope(entry: $0), stream: StreamName.arxivSummarized)
            }
            #expect(summarized.allSatisfy { $0.method == "llm" && $0.model == "tiny" && $0.languages == ["es", "fr"] })
            let id = articles[0].entry.id
            let stored = try JSONDecoder().decode(Stored.self, from: Data(try await HTTPClient().get("http://127.0.0.1:\(port)/api/summaries/\(id)").body))
            #expect(stored.summary == "In plain words (tiny): \(articles[0].entry.title)")
            #expect(stored.translations == ["fr": "[fr] \(stored.summary)", "es": "[es] \(stored.summary)"])
            #expect(!stored.extractive.isEmpty && articles[0].entry.summary.contains(stored.extractive.prefix(40)))
            #expect(llm.authorizations == ["Bearer test-key"] && llm.tooMany == 1)
            await expectCleanShutdown([summarizer])
        }
    }

    @Test("without a key: says so once, stores TextRank summaries, and no translations")
    func withoutLLM() async throws {
        let redisServer = try PrivateRedis()
        let summarizer = try ServiceProcess("summarizer", environment: ["HTTP_PORT": "0", "REDIS_URL": redisServer.url, "MONGO_URI": uniqueMongoURI()])
        let port = try await summarizer.httpPort()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        let articles = try Self.articles()
        try await StreamProducer(redis: redis, producer: "test").publish(batch: articles)
        try await eventually("three summarized") { try await redis.xlen(StreamName.arxivSummarized) == 3 }
        let stored = try JSONDecoder().decode(
            Stored.self, from: Data(try await HTTPClient().get("http://127.0.0.1:\(port)/api/summaries/\(articles[2].entry.id)").body))
        #expect(stored.method == "textrank" && stored.model == nil && stored.translations.isEmpty)
        #expect(stored.summary == stored.extractive && !stored.summary.isEmpty)
        #expect(summarizer.lines.filter { $0.contains("no LLM_API_KEY") }.count == 1)
        // A redelivered article rewrites its one document.
        try await StreamProducer(redis: redis, producer: "test").publish(articles[2])
        try await eventually("four summarized") { try await redis.xlen(StreamName.arxivSummarized) == 4 }
        await expectCleanShutdown([summarizer])
    }
}
