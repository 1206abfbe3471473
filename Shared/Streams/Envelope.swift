import Foundation
import Redis

/// What every message on every stream carries, as stream fields:
/// `type`, `v` (schema version), `id` (idempotency key), `trace`, `produced_at`, `producer`
/// and `body` (the message as JSON). See docs/STREAMS.md.
public struct Envelope: Sendable, Hashable {
    public var type: String
    public var version: Int
    /// The idempotency key: the same logical message always has the same id.
    public var id: String
    /// Follows one piece of work across services.
    public var trace: String
    public var producedAt: Date
    public var producer: String
    public var body: String

    public init(type: String, version: Int, id: String, trace: String, producedAt: Date = Date(), producer: String, body: String) {
        self.type = type
        self.version = version
        self.id = id
        self.trace = trace
        self.producedAt = producedAt
        self.producer = producer
        self.body = body
    }

    /// The stream fields, in a stable order.
    public var fields: [(String, String)] {
        [
            ("type", type), ("v", String(version)), ("id", id), ("trace", trace),
            ("produced_at", Self.timestamp(producedAt)), ("producer", producer), ("body", body),
        ]
    }

    /// Reads an envelope back from a stream entry; a malformed entry is an `EnvelopeError`.
    public init(entry: StreamEntry) throws(EnvelopeError) {
        let fields = entry.fields
        func required(_ name: String) throws(EnvelopeError) -> String {
            guard let value = fields[name], !value.isEmpty else { throw EnvelopeError(entryId: entry.id, reason: "missing field '\(name)'") }
            return value
        }
        type = try required("type")
        guard let version = Int(try required("v")) else {
            throw EnvelopeError(entryId: entry.id, reason: "schema version 'v' is not an integer: \(fields["v"] ?? "")")
        }
        self.version = version
        id = try required("id")
        trace = fields["trace"] ?? ""
        producedAt = fields["produced_at"].flatMap(Self.date) ?? Date(timeIntervalSince1970: 0)
        producer = fields["producer"] ?? ""
        body = try required("body")
    }

    /// ISO 8601 in UTC with milliseconds (`2026-11-24T06:49:23.466Z`).
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func date(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A new random trace id (16 hex digits).
    public static func newTrace() -> String {
        String(format: "%016llx", UInt64.random(in: 1...UInt64.max))
    }
}

/// A stream entry that is not a well-formed envelope. Never retried: it goes to the dead-letter stream.
public struct EnvelopeError: Error, Sendable, CustomStringConvertible, NonRetryableError {
    public var entryId: String
    public var reason: String

    public var description: String { "malformed message \(entryId): \(reason)" }
}

/// Errors that retrying cannot fix (a malformed message, a corrupt file, an unsupported
/// schema version). The worker dead-letters such a message at once instead of retrying it.
public protocol NonRetryableError: Error {}
