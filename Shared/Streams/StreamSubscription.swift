import Foundation
import Logging
import Metrics
import Redis
import ServiceLifecycle

/// Every entry of a stream, to every replica: a plain `XREAD` with no consumer group, for
/// announcements each replica must act on (a new model to load), where a group would hand
/// each to one replica only.
///
/// It starts a minute before the process began (stream ids are times), so that what was
/// announced while the service started up is seen too; handlers must be idempotent. It
/// continues from the last id seen after a reconnect, and from the start when Redis lost the
/// stream meanwhile (its newest id is below ours). Nothing is acknowledged or dead-lettered:
/// a handler's failure, or an entry without an envelope, is logged and counted, and the
/// subscription goes on; what a replica misses while it is down it must catch up on at start.
public final class StreamSubscription: Service, Sendable {
    public typealias Handler = @Sendable (Envelope) async throws -> Void

    let stream: String
    let redis: RedisConfiguration
    let logger: Logger
    let handler: Handler
    let startId: String
    let blockTime: Duration
    let failures: Counter

    public init(stream: String, redis: RedisConfiguration, logger: Logger, blockTime: Duration = .seconds(1), handler: @escaping Handler) {
        self.stream = stream
        self.redis = redis
        var logger = logger
        logger[metadataKey: "stream"] = .string(stream)
        logger[metadataKey: "subscription"] = "every replica"
        self.logger = logger
        self.handler = handler
        self.blockTime = blockTime
        failures = Counter(label: "starstream_subscription_failures_total", dimensions: [("stream", stream)])
        startId = "\(max(0, Int(Date().timeIntervalSince1970 * 1000) - 60_000))-0"
    }

    public func run() async throws {
        var configuration = redis
        configuration.clientName = "\(ConsumerName.current):subscription:\(stream)".map { $0 == " " ? "_" : $0 }.reduce(into: "") { $0.append($1) }
        let connection = RedisConnection(configuration: configuration)
        var cursor = startId
        var failures = 0
        logger.info("subscribed")
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                if failures > 0, let newest = try await connection.lastEntryId(stream), Self.precedes(newest, cursor) {
                    logger.warning("the stream is behind what was read (Redis lost its data?); reading it again from the start", metadata: ["newest": .string(newest), "cursor": .string(cursor)])
                    cursor = "0-0"
                }
                let entries = try await connection.xread(stream, after: cursor, count: 100, block: blockTime)
                if failures > 0 { logger.info("subscription reads recovered") }
                failures = 0
                for entry in entries {
                    cursor = entry.id
                    await deliver(entry)
                }
            } catch {
                failures += 1
                let delay = min(Duration.seconds(5), .milliseconds(100) * (1 << min(failures - 1, 6)))
                self.failures.increment()
                logger.warning("subscription read failed, retrying", metadata: ["error": "\(error)", "retry_in_s": "\(delay.inSeconds)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            }
        }
        logger.info("subscription stopped")
    }

    private func deliver(_ entry: StreamEntry) async {
        var logger = logger
        logger[metadataKey: "message_id"] = .string(entry.id)
        do {
            let envelope = try Envelope(entry: entry)
            logger[metadataKey: "trace"] = .string(envelope.trace)
            try await handler(envelope)
        } catch {
            // Not retried here: the next announcement, or the service's own catch-up, brings what this one meant.
            failures.increment()
            logger.error("subscription handler failed; going on", metadata: ["error": "\(error)"])
        }
    }

    /// Whether stream id `a` comes before `b` (`ms-seq`, compared as numbers).
    static func precedes(_ a: String, _ b: String) -> Bool {
        func parts(_ id: String) -> (Int, Int) {
            let pieces = id.split(separator: "-")
            return (Int(pieces.first ?? "") ?? 0, pieces.count > 1 ? Int(pieces[1]) ?? 0 : 0)
        }
        return parts(a) < parts(b)
    }
}
