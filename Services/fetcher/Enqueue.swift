import ArgumentParser
import Contracts
import Foundation
import Redis
import Streams

/// `fetcher enqueue --base URL PLAN...`: asks the fetcher service to download plans.
struct Enqueue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Queue observation plans for download.")

    @Option(help: "Archive date directory (https://dr5.lamost.org/v3/sas/fits/20111028) or file:// mirror.") var base: String
    @Option(help: "At most this many files per plan.") var limit: Int?
    @Argument(help: "Plan directories under the base.") var plans: [String]

    func run() async throws {
        let url = ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:6379/0"
        let redis = try await RedisConnection.connect(RedisConfiguration(url: url))
        let request = SpectraFetchRequest(requestId: UUID().uuidString.lowercased(), baseURL: base, plans: plans, limitPerPlan: limit)
        let id = try await StreamProducer(redis: redis, producer: "fetcher-cli").publish(request)
        print("fetcher: queued \(plans.count) plan(s) from \(base) as request \(request.requestId) (entry \(id))")
    }
}
