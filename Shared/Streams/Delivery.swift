import Logging

/// One delivery of one stream entry to a handler.
public struct Delivery: Sendable {
    public let stream: String
    /// The Redis stream entry id (`1700000000000-0`).
    public let entryId: String
    public let envelope: Envelope
    /// 1 on the first delivery; more after a failed attempt, a crash or a timeout.
    public let deliveries: Int
    /// A logger carrying `stream`, `message_id`, `trace`, `type` and `attempt`.
    public let logger: Logger

    /// The typed message; throws `UnsupportedMessageError` (dead-lettered at once) on a type
    /// or version this consumer does not read.
    public func decode<M: StreamMessage>(_ type: M.Type) throws -> M {
        try M(envelope: envelope, stream: stream)
    }

    /// The typed message, of this version or (converted) of the previous one.
    public func decode<M: UpgradingStreamMessage>(_ type: M.Type) throws -> M {
        try M(readingAnyVersionOf: envelope, stream: stream)
    }
}

/// Handles one delivery. Returning means its effects are committed and the entry may be
/// acknowledged; throwing leaves it pending for a later attempt (or the dead-letter stream).
public typealias StreamHandler = @Sendable (Delivery) async throws -> Void

/// Handles the entries of one read together: one transaction for their effects, one pipelined
/// round trip for their announcements. Returning means every entry's effects are committed;
/// throwing makes the worker handle each entry again alone (a batch of one), so that a poison
/// entry fails, and is retried or dead-lettered, by itself while its neighbours commit. Like a
/// `StreamHandler` it must be idempotent: a batch may be applied again after a crash.
public typealias BatchHandler = @Sendable ([Delivery]) async throws -> Void
