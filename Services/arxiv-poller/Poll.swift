import ArgumentParser
import Contracts
import Foundation
import Redis
import Streams

/// `arxiv-poller poll`: asks the service to poll the API now.
struct Poll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask the arXiv poller to poll now (or, with --from and --until, to backfill).")

    @Option(help: "Backfill from this day (YYYY-MM-DD); same as the backfill command.") var from: String?
    @Option(help: "… until this day, inclusive (YYYY-MM-DD).") var until: String?

    func run() async throws {
        guard (from == nil) == (until == nil) else { throw ValidationError("--from and --until go together") }
        try await PollRequestSender.send(from: from, until: until, via: nil, set: nil)
    }
}

/// `arxiv-poller backfill --from DAY --until DAY [--via api|oai] [--set SET]`.
struct Backfill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the arXiv poller to backfill a date range, through the search API or OAI-PMH.",
        discussion: """
            --via api (default) asks the search API for papers submitted in the range, in the poller's categories. \
            --via oai harvests OAI-PMH ListRecords, where the range selects records by datestamp (their last change) and \
            --set narrows it to one set (physics:astro-ph, cs, math, …); arXiv asks bulk harvesters to use this path.
            """)

    @Option(help: "First day (YYYY-MM-DD).") var from: String
    @Option(help: "Last day, inclusive (YYYY-MM-DD).") var until: String
    @Option(help: "api or oai.") var via: ArxivPollRequest.Path = .api
    @Option(help: "An OAI-PMH set, with --via oai (physics:astro-ph, cs, …).") var set: String?

    func validate() throws {
        if set != nil, via != .oai { throw ValidationError("--set selects an OAI-PMH set: use it with --via oai") }
    }

    func run() async throws {
        try await PollRequestSender.send(from: from, until: until, via: via, set: set)
    }
}

extension ArxivPollRequest.Path: ExpressibleByArgument {}

enum PollRequestSender {
    static func send(from: String?, until: String?, via: ArxivPollRequest.Path?, set: String?) async throws {
        func day(_ text: String?) throws -> Date? {
            guard let text else { return nil }
            guard let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) else { throw ValidationError("not a YYYY-MM-DD day: \(text)") }
            return date
        }
        let (start, end) = (try day(from), try day(until))
        if let start, let end, start > end { throw ValidationError("--from \(from!) is after --until \(until!)") }
        let redis = try await RedisConnection.connect(RedisConfiguration(url: ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:6379/0"))
        let request = ArxivPollRequest(requestId: UUID().uuidString.lowercased(), from: start, until: end, via: via, set: set)
        try await StreamProducer(redis: redis, producer: "arxiv-poller-cli").publish(request)
        let what = start == nil ? "a poll" : "a backfill from \(from!) until \(until!) via \((via ?? .api).rawValue)\(set.map { " in set \($0)" } ?? "")"
        print("arxiv-poller: requested \(what) as \(request.requestId)")
    }
}
