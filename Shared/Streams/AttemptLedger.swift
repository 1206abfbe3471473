import Redis

/// How many times each entry was really attempted, kept in Redis beside the stream.
///
/// Redis' own delivery counter (XPENDING) also rises when a consumer re-reads its pending
/// history after a reconnect, so an outage alone would push good entries toward the
/// dead-letter stream. This ledger counts only what says something about the message: a
/// handler that threw the message's own error, and a consumer that died or stalled with the
/// entry (a reclaim). Dependency failures, reconnects and shutdowns count nothing.
///
/// One hash per entry that was ever retried (`count`, `error`), expiring after a week; an
/// entry handled at the first attempt costs no round trip at all.
struct AttemptLedger: Sendable {
    let configuration: WorkerConfiguration
    static let retention = "604800"

    func key(_ id: String) -> String {
        "starstream:attempts:\(configuration.stream):\(configuration.group):\(id)"
    }

    /// Records that `ids` are being attempted again; returns each one's attempt number (2 or more).
    func retrying(_ ids: [String], redis: RedisConnection) async throws -> [String: Int] {
        guard !ids.isEmpty else { return [:] }
        let replies = try await redis.pipeline(ids.flatMap { id in
            [["HINCRBY", key(id), "count", "1"], ["EXPIRE", key(id), Self.retention]]
        })
        var attempts: [String: Int] = [:]
        for (index, id) in ids.enumerated() {
            let reply = replies[index * 2]
            if case .error(let message) = reply { throw RedisError.server(command: "HINCRBY", message: message) }
            attempts[id] = 1 + max(0, reply.int ?? 0)
        }
        return attempts
    }

    /// An attempt that ended in the message's own error: kept for whoever dead-letters it later.
    func failed(_ id: String, error: String, redis: RedisConnection) async throws {
        _ = try await redis.pipeline([["HSET", key(id), "error", error], ["EXPIRE", key(id), Self.retention]])
    }

    /// An attempt that says nothing about the message (the service stopped under it): not counted.
    func withdraw(_ id: String, redis: RedisConnection) async throws {
        _ = try await redis.pipeline([["HINCRBY", key(id), "count", "-1"], ["EXPIRE", key(id), Self.retention]])
    }

    func lastError(_ id: String, redis: RedisConnection) async throws -> String? {
        try await redis.command("HGET", key(id), "error").string
    }
}
