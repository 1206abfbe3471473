import Foundation
import Redis

/// arXiv's terms of use: one request every 3 seconds, one connection at a time — across all
/// replicas. The slot is a Redis key: taken with `SET NX` for the length of a request, then
/// kept `interval` after the response, so the next request (from any replica) starts no sooner.
struct APISlot: Sendable {
    let redis: RedisConnection
    let key: String
    let interval: Duration
    /// A request longer than this frees the slot anyway (a crashed holder must not block all).
    let requestTimeout: Duration

    /// Runs `request` when the slot is free, holding it meanwhile and `interval` after.
    func withSlot<T: Sendable>(_ request: () async throws -> T) async throws -> T {
        let token = UUID().uuidString
        while true {
            let taken = try await redis.command("SET", key, token, "NX", "PX", String(requestTimeout.milliseconds))
            if taken.string == "OK" { break }
            let wait = max(50, min(1000, try await redis.command("PTTL", key).int ?? 100))
            try await Task.sleep(for: .milliseconds(wait))
        }
        do {
            let value = try await request()
            try await release(token)
            return value
        } catch {
            try? await release(token)
            throw error
        }
    }

    /// Keeps the slot `interval` longer if it is still ours.
    private func release(_ token: String) async throws {
        if try await redis.command("GET", key).string == token {
            try await redis.command("SET", key, token, "XX", "PX", String(max(1, interval.milliseconds)))
        }
    }
}

extension Duration {
    var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}
