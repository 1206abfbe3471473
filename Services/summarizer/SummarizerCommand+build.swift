import ArgumentParser
import Arxiv
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import Mongo
import ServiceKit
import Streams

extension SummarizerCommand {
    /// The summarizer put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "summarizer", environment: environment)
        let environment = runtime.configuration.environment
        let mongo = try runtime.useMongo { client in
            try await client.collection("summaries").createIndex(keys: ["article_id": 1, "version": 1], unique: true)
        }
        let summaries = mongo.collection("summaries")
        var llm: LLMClient? = nil
        if let key = environment.optionalString("LLM_API_KEY") {
            var http = HTTPClient.Configuration()
            http.retry = RetryPolicy(
                maxAttempts: try environment.int("LLM_MAX_ATTEMPTS", default: 4, range: 1...20), baseDelay: .seconds(1), maxDelay: .seconds(30))
            let timeout = Duration.seconds(try environment.int("LLM_TIMEOUT_S", default: 60, range: 1...600))
            http.requestTimeout = timeout
            llm = LLMClient(
                baseURL: environment.string("LLM_BASE_URL", default: "https://api.mistral.ai/v1"), apiKey: key,
                model: environment.string("LLM_MODEL", default: "mistral-small-latest"), http: HTTPClient(configuration: http),
                gate: ConcurrencyGate(limit: try environment.int("LLM_CONCURRENCY", default: 2, range: 1...64)), timeout: timeout)
            runtime.logger.info("summaries by LLM", metadata: ["base_url": "\(llm!.baseURL)", "model": "\(llm!.model)"])
        } else {
            runtime.logger.notice("no LLM_API_KEY: extractive summaries (TextRank) only, no translations")
        }
        let summarizer = Summarizer(
            llm: llm, languages: environment.list("LLM_LANGUAGES", default: ["fr"]),
            extractiveSentences: try environment.int("SUMMARY_SENTENCES", default: 2, range: 1...20))
        let producer = runtime.producer
        runtime.consume(StreamName.arxivArticles) { delivery in
            let article = try delivery.decode(ArxivArticle.self)
            let document = try await summarizer.summarize(article.entry)
            try await summaries.upsert(filter: SummaryKey(articleId: document.articleId, version: document.version), document: document)
            try await producer.publish(
                ArxivSummarized(
                    id: document.articleId, version: document.version, method: document.method, model: document.model,
                    summary: document.summary, languages: document.translations.keys.sorted()),
                trace: delivery.envelope.trace)
        }
        runtime.routes { router in
            router.get("api/summaries/:id") { _, context -> Response in
                guard let id = context.parameters.get("id")?.removingPercentEncoding else { throw HTTPError(.badRequest) }
                let found = try await summaries.find(SummaryDocument.self, filter: ["article_id": id], sort: ["version": -1], limit: 1)
                guard let document = found.first else { throw HTTPError(.notFound, message: "no summary of \(id)") }
                return try ServiceRuntime.json(document)
            }
        }
        return runtime.build()
    }
}
