import Foundation
import Hummingbird
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

    /// The snapshot as JSON, encoded once per refresh rather than once per request: its
    /// throughput series included and its age left out (added as each answer is sent).
    struct Encoded: Sendable {
        var generatedAt: Date
        /// The status object without `ageSeconds`, starting with its `{`.
        var statusWithoutAge: [UInt8]
        var streams: [UInt8]

        /// The status with its age as its first key (keys are sorted; `ageSeconds` sorts first).
        func status(now: Date = Date()) -> ByteBuffer {
            var buffer = ByteBuffer()
            buffer.reserveCapacity(statusWithoutAge.count + 32)
            buffer.writeString("{\"ageSeconds\":\(max(0, now.timeIntervalSince(generatedAt)))")
            if statusWithoutAge.count > 2 { buffer.writeString(",") }
            buffer.writeBytes(statusWithoutAge.dropFirst())
            return buffer
        }
    }

    private struct State {
        var encoded: Encoded?
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
        // Encoded outside the lock, against the samples as they will be once this one is in;
        // a snapshot older than the one shown (a first request racing the refresher) is dropped.
        let samples = state.withLock { state in
            (state.samples + [Sample(at: status.generatedAt, read: read)]).filter { status.generatedAt.timeIntervalSince($0.at) <= history }
        }
        var published = status
        published.ageSeconds = nil
        published.throughput = Self.throughput(samples)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        guard let body = try? encoder.encode(published), let streams = try? encoder.encode(status.streams) else { return }
        let encoded = Encoded(generatedAt: status.generatedAt, statusWithoutAge: Array(body), streams: Array(streams))
        state.withLock { state in
            if let shown = state.encoded, shown.generatedAt >= status.generatedAt { return }
            state.encoded = encoded
            state.samples.append(Sample(at: status.generatedAt, read: read))
            state.samples.removeAll { status.generatedAt.timeIntervalSince($0.at) > history }
        }
    }

    /// The last snapshot, encoded; nil before the first refresh.
    func encoded() -> Encoded? {
        state.withLock { $0.encoded }
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
