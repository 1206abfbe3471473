import Foundation
import Redis

/// Moving an entry to `<stream>.dlq`: the original fields plus why, from where and after how
/// many counted attempts (`dlq_deliveries`; see `AttemptLedger`),
/// added and acknowledged in one MULTI/EXEC so the entry is never both lost and pending.
enum DeadLetters {
    static func move(
        _ entry: StreamEntry, reason: String, deliveries: Int, configuration: WorkerConfiguration, redis: RedisConnection
    ) async throws {
        var fields = entry.fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        fields += [
            ("dlq_error", reason), ("dlq_source_stream", configuration.stream), ("dlq_source_id", entry.id),
            ("dlq_group", configuration.group), ("dlq_consumer", configuration.consumer),
            ("dlq_deliveries", String(deliveries)), ("dlq_at", Envelope.timestamp(Date())),
        ]
        let add = RedisConnection.xaddArguments(
            configuration.deadLetterStream, fields: fields, maxLength: configuration.deadLetterMaxLength, id: "*")
        let replies = try await redis.pipeline([
            ["MULTI"], add, ["XACK", configuration.stream, configuration.group, entry.id],
            ["DEL", AttemptLedger(configuration: configuration).key(entry.id)], ["EXEC"],
        ])
        guard let results = replies.last?.array, results.count == 3 else {
            throw RedisError.unexpectedReply(command: "EXEC", reply: replies.last ?? .null)
        }
        if case .error(let message) = results[0] { throw RedisError.server(command: "XADD", message: message) }
    }
}
