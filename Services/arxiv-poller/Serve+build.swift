import ArgumentParser
import Arxiv
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import OAIPMH
import ServiceKit
import ServiceLifecycle
import Streams

extension Serve {
    /// The arxiv-poller put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "arxiv-poller", environment: environment)
        let environment = runtime.configuration.environment
        let store = ArticleStore(pool: runtime.usePostgres(ArticleStore.migrator))
        let categories = environment.list("ARXIV_CATEGORIES", default: ["astro-ph.SR", "astro-ph.GA", "cs.LG"])
        let base = environment.string("ARXIV_BASE_URL", default: "http://export.arxiv.org/api/query")
        var http = HTTPClient.Configuration()
        // Retries keep the 3-second spacing too: equal jitter over 6 s waits at least 3 s.
        http.retry = RetryPolicy(maxAttempts: 4, baseDelay: .seconds(6), maxDelay: .seconds(60))
        http.concurrency = 1
        let slot = APISlot(
            redis: runtime.redis, key: "arxiv-poller:api-slot",
            interval: try environment.milliseconds("ARXIV_MIN_INTERVAL_MS", default: .seconds(3), range: 0...600_000),
            requestTimeout: .seconds(120))
        let poller = Poller(
            source: FeedSource(base: base, client: HTTPClient(configuration: http), slot: slot), store: store, producer: runtime.producer,
            pageSize: try environment.int("ARXIV_PAGE_SIZE", default: 200, range: 1...2000),
            maxResults: try environment.int("ARXIV_MAX_RESULTS", default: 30000, range: 1...30000), logger: runtime.logger)
        var oaiHTTP = HTTPClient.Configuration()
        // arXiv's OAI server sends 503 with Retry-After for flow control: wait it out, many times if asked.
        oaiHTTP.retry = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(6), maxDelay: .seconds(60))
        oaiHTTP.concurrency = 1
        let harvest = OAIHarvest(
            base: environment.string("ARXIV_OAI_URL", default: "http://export.arxiv.org/oai2"), client: HTTPClient(configuration: oaiHTTP),
            slot: slot, store: store, producer: runtime.producer, logger: runtime.logger)
        let interval = try environment.int("POLL_INTERVAL_S", default: 3600, range: 0...7 * 86_400)
        if interval > 0 {
            runtime.addService(PollSchedule(
                interval: .seconds(interval), redis: runtime.redis,
                poll: { trace in _ = try await poller.run(ArxivQuery(categories: categories), trace: trace) }, logger: runtime.logger))
        } else {
            runtime.logger.info("scheduled polling is off (POLL_INTERVAL_S=0); polls on arxiv.poll-requests only")
        }
        runtime.consume(StreamName.arxivPollRequests, concurrency: 1) { delivery in
            let request = try delivery.decode(ArxivPollRequest.self)
            if request.via == .oai {
                if let from = request.from, let until = request.until, from > until {
                    throw InvalidPollRequest(reason: "from \(from) is after until \(until)")
                }
                do {
                    _ = try await cancelWhenGracefulShutdown {
                        try await harvest.run(OAIHarvest.Request(from: request.from, until: request.until, set: request.set), trace: delivery.envelope.trace)
                    }
                } catch let error as OAIError where !error.isRetryable {
                    // The repository refused the request itself (badArgument, …): asking again will not help.
                    throw InvalidPollRequest(reason: error.description)
                }
                return
            }
            var query = ArxivQuery(categories: categories)
            if let from = request.from, let until = request.until {
                guard from <= until else { throw InvalidPollRequest(reason: "from \(from) is after until \(until)") }
                query.submitted = from...until
            }
            do {
                // SIGTERM stops a walk between requests (its back-off sleeps and the API slot's
                // waits are cancelled); the entry stays pending, uncounted, for the next replica.
                let walk = query
                _ = try await cancelWhenGracefulShutdown { try await poller.run(walk, trace: delivery.envelope.trace) }
            } catch let error as ArxivFeedError where error.kind != .malformed {
                // An error feed, HTML or a broken entry will not improve on retry: dead-letter it with the reason.
                throw InvalidPollRequest(reason: error.description)
            }
        }
        let listing = ArticleListing(pool: store.pool)
        runtime.routes { router in
            router.get("api/arxiv/counts") { _, _ in try ServiceRuntime.json(try await store.counts()) }
            router.get("api/arxiv/articles") { request, _ in try ServiceRuntime.json(try await listing.page(request)) }
            router.get("api/arxiv/articles/:id") { _, context -> Response in
                guard let id = context.parameters.get("id")?.removingPercentEncoding, let entry = try await store.entry(id: id) else {
                    throw HTTPError(.notFound)
                }
                return try ServiceRuntime.json(entry)
            }
        }
        return runtime.build()
    }
}
