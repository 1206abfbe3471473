import ArgumentParser
import Contracts
import Foundation
import Redis
import Streams

/// `arxiv-poller poll [--from DAY --until DAY]`: asks the service to poll now, or to backfill.
struct Poll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask the arXiv poller to poll now or to backfill a date range.")

    @Option(help: "Backfill papers submitted from this day (YYYY-MM-DD).") var from: String?
    @Option(help: "… until this day, inclusive (YYYY-MM-DD).") var until: String?

    func run() async throws {
        func day(_ text: String?) throws -> Date? {
            guard let text else { return nil }
            guard let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) else { throw ValidationError("not a YYYY-MM-DD day: \(text)") }
            return date
        }
        let (start, end) = (try day(from), try day(until))
        guard (start == nil) == (end == nil) else { throw ValidationError("--from and --until go together") }
        let redis = try await RedisConnection.connect(RedisConfiguration(url: ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:6379/0"))
        let request = ArxivPollRequest(requestId: UUID().uuidString.lowercased(), from: start, until: end)
        try await StreamProducer(redis: redis, producer: "arxiv-poller-cli").publish(request)
        print("arxiv-poller: requested \(start == nil ? "a poll" : "a backfill from \(from!) until \(until!)") as \(request.requestId)")
    }
}
