import Redis

/// Publishes typed messages in envelopes. Streams are capped (`MAXLEN ~`) so that a stalled
/// consumer cannot grow Redis without bound.
public struct StreamProducer: Sendable {
    public let redis: RedisConnection
    public let producer: String
    public let maxLength: Int?

    public init(redis: RedisConnection, producer: String, maxLength: Int? = 1_000_000) {
        self.redis = redis
        self.producer = producer
        self.maxLength = maxLength
    }

    /// Publishes one message on its stream (`M.stream` unless `stream` says otherwise); returns the entry id.
    @discardableResult
    public func publish<M: StreamMessage>(_ message: M, on stream: String? = nil, trace: String? = nil) async throws -> String {
        let envelope = try message.envelope(trace: trace ?? Envelope.newTrace(), producer: producer)
        return try await redis.xadd(stream ?? M.stream, fields: envelope.fields, maxLength: maxLength)
    }

    /// Publishes many messages of one type in a single pipelined round trip.
    @discardableResult
    public func publish<M: StreamMessage>(batch messages: [M], on stream: String? = nil, trace: String? = nil) async throws -> [String] {
        guard !messages.isEmpty else { return [] }
        let envelopes = try messages.map { try $0.envelope(trace: trace ?? Envelope.newTrace(), producer: producer).fields }
        return try await redis.xaddBatch(stream ?? M.stream, entries: envelopes, maxLength: maxLength)
    }

    /// Publishes many messages of one type, each with its own trace (a batch handler's results,
    /// one per delivery), in a single pipelined round trip.
    @discardableResult
    public func publish<M: StreamMessage>(traced messages: [(message: M, trace: String)], on stream: String? = nil) async throws -> [String] {
        guard !messages.isEmpty else { return [] }
        let envelopes = try messages.map { try $0.message.envelope(trace: $0.trace, producer: producer).fields }
        return try await redis.xaddBatch(stream ?? M.stream, entries: envelopes, maxLength: maxLength)
    }

    /// Publishes ready-made envelopes on one stream in a single pipelined round trip.
    @discardableResult
    public func publish(envelopes: [Envelope], on stream: String) async throws -> [String] {
        guard !envelopes.isEmpty else { return [] }
        return try await redis.xaddBatch(stream, entries: envelopes.map(\.fields), maxLength: maxLength)
    }

    /// Publishes a ready-made envelope (replaying dead letters, tools).
    @discardableResult
    public func publish(_ envelope: Envelope, on stream: String) async throws -> String {
        try await redis.xadd(stream, fields: envelope.fields, maxLength: maxLength)
    }
}
