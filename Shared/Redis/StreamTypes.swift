/// One entry of a Redis stream: its id (`1700000000000-0`) and its field/value pairs.
public struct StreamEntry: Sendable, Hashable {
    public var id: String
    public var fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }
}

/// An entry of a consumer group's pending entries list (`XPENDING` extended form).
public struct PendingEntry: Sendable, Hashable {
    public var id: String
    public var consumer: String
    /// Milliseconds since the entry was last delivered.
    public var idleMilliseconds: Int
    /// How many times the entry has been delivered (`XREADGROUP`, `XCLAIM`, `XAUTOCLAIM`).
    public var deliveries: Int
}

/// The summary form of `XPENDING`.
public struct PendingSummary: Sendable, Hashable {
    public var count: Int
    public var smallestId: String?
    public var largestId: String?
    public var consumers: [String: Int]
}

/// The reply of `XAUTOCLAIM` (Redis 7: cursor, claimed entries, ids deleted from the stream).
public struct AutoClaimResult: Sendable, Hashable {
    public var nextCursor: String
    public var entries: [StreamEntry]
    /// Entries that were pending but no longer exist in the stream; Redis drops them from the PEL.
    public var deletedIds: [String]
}

/// `XINFO STREAM`.
public struct StreamInfo: Sendable, Hashable {
    public var length: Int
    public var groups: Int
    public var lastGeneratedId: String
    public var firstEntryId: String?
    public var lastEntryId: String?
}

/// One group of `XINFO GROUPS`.
public struct StreamGroupInfo: Sendable, Hashable {
    public var name: String
    public var consumers: Int
    public var pending: Int
    public var lastDeliveredId: String
    /// Entries delivered to the group so far (Redis ≥ 7); nil when Redis cannot tell.
    public var entriesRead: Int?
    /// Entries not yet delivered to the group (Redis ≥ 7); nil when Redis cannot tell.
    public var lag: Int?
}

/// One consumer of `XINFO CONSUMERS`.
public struct StreamConsumerInfo: Sendable, Hashable {
    public var name: String
    public var pending: Int
    public var idleMilliseconds: Int
}
