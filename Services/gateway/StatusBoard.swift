import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// How fast one consumer group read its stream, from the gateway's own samples of Redis'
/// per-group read counter (`entries-read`), oldest first.
struct GroupThroughput: Codable, Sendable, Equatable {
    var stream: String
    var group: String
    /// Entries per second between consecutive samples.
    var perSecond: [Double]
    /// Over the last `window_s` seconds.
    var recentPerSecond: Double
    var windowSeconds: Double

    enum CodingKeys: String, CodingKey {
        case stream, group, perSecond = "per_second", recentPerSecond = "recent_per_second", windowSeconds = "window_s"
    }
}

/// The latest status snapshot and a few minutes of throughput samples. `/api/status` answers
/// from here, so dashboards polling it cost the services nothing.
final class StatusBoard: Sendable {
    private struct Sample {
        var at: Date
        var read: [String: Int]
    }

    private struct State {
        var status: SystemStatus?
        var samples: [Sample] = []
    }

    private let state = Mutex(State())
    let history: TimeInterval

    init(history: TimeInterval = 300) {
        self.history = history
    }

    func update(_ status: SystemStatus) {
        var read: [String: Int] = [:]
        for stream in status.streams {
            for group in stream.groups { if let count = group.entriesRead { read["\(stream.name)|\(group.name)"] = count } }
        }
        state.withLock { state in
            state.status = status
            state.samples.append(Sample(at: status.generatedAt, read: read))
            state.samples.removeAll { status.generatedAt.timeIntervalSince($0.at) > history }
        }
    }

    /// The last snapshot with its age and the throughput series; nil before the first refresh.
    func current(now: Date = Date()) -> SystemStatus? {
        state.withLock { state in
            guard var status = state.status else { return nil }
            status.ageSeconds = max(0, now.timeIntervalSince(status.generatedAt))
            status.throughput = Self.throughput(state.samples)
            return status
        }
    }

    private static func throughput(_ samples: [Sample]) -> [GroupThroughput] {
        guard let last = samples.last else { return [] }
        return last.read.keys.sorted().map { key in
            var rates: [Double] = []
            for (earlier, later) in zip(samples, samples.dropFirst()) {
                let seconds = later.at.timeIntervalSince(earlier.at)
                guard seconds > 0, let before = earlier.read[key], let after = later.read[key] else { continue }
                // A counter that went down was reset (Redis restarted without its data): no rate.
                rates.append(after >= before ? Double(after - before) / seconds : 0)
            }
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            let window = samples.suffix(6)
            let span = window.last!.at.timeIntervalSince(window.first!.at)
            let delta = (window.last!.read[key] ?? 0) - (window.first!.read[key] ?? 0)
            return GroupThroughput(
                stream: parts[0], group: parts.count > 1 ? parts[1] : "", perSecond: rates,
                recentPerSecond: span > 0 ? max(0, Double(delta)) / span : 0, windowSeconds: span)
        }
    }
}

/// Refreshes the board every `interval` until shutdown.
struct StatusRefresher: Service {
    let aggregator: StatusAggregator
    let board: StatusBoard
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            board.update(await aggregator.snapshot())
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
