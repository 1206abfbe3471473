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
    @Flag(help: "For a file:// base: record and serve the files where they are, without copying them.") var inPlace = false
    @Argument(help: "Plan directories under the base.") var plans: [String]

    func validate() throws {
        if inPlace, !base.hasPrefix("file://") { throw ValidationError("--in-place reads local files where they lie: it needs a file:// base, not \(base)") }
    }

    func run() async throws {
        let url = ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:6379/0"
        let redis = try await RedisConnection.connect(RedisConfiguration(url: url))
        let request = SpectraFetchRequest(requestId: UUID().uuidString.lowercased(), baseURL: base, plans: plans, limitPerPlan: limit, inPlace: inPlace ? true : nil)
        let id = try await StreamProducer(redis: redis, producer: "fetcher-cli").publish(request)
        print("fetcher: queued \(plans.count) plan(s) from \(base)\(inPlace ? " (in place)" : "") as request \(request.requestId) (entry \(id))")
    }
}
