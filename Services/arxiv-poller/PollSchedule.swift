import Contracts
import Foundation
import Logging
import Redis
import ServiceLifecycle
import Streams

/// Polls every `interval`. Replicas share one schedule: whoever takes the Redis key of the
/// current interval polls, the others skip it.
struct PollSchedule: Service {
    let interval: Duration
    let redis: RedisConnection
    let poll: @Sendable (String) async throws -> Void
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let seconds = max(1, interval.components.seconds)
            let slot = Int64(Date().timeIntervalSince1970) / seconds
            do {
                let taken = try await redis.command("SET", "arxiv-poller:schedule:\(slot)", ConsumerName.current, "NX", "EX", String(seconds * 2))
                // SIGTERM cancels a poll in progress; its watermark has not moved, so the next one walks again.
                if taken.string == "OK" { try await cancelWhenGracefulShutdown { try await poll("schedule-\(slot)") } }
            } catch {
                logger.error("scheduled poll failed; next interval retries", metadata: ["error": "\(error)"])
            }
            let next = Double((slot + 1) * seconds) - Date().timeIntervalSince1970
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(max(0.1, next))) }
        }
    }
}
