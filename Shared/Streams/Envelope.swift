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
    ///
    /// Formatted by hand: every message carries one, and `Date.ISO8601FormatStyle` costs more
    /// than the rest of publishing a message.
    public static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(milliseconds.quotientAndRemainder(dividingBy: 1000).quotient)
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(parts.tm_year + 1900, 4))-\(padded(parts.tm_mon + 1, 2))-\(padded(parts.tm_mday, 2))T"
            + "\(padded(parts.tm_hour, 2)):\(padded(parts.tm_min, 2)):\(padded(parts.tm_sec, 2)).\(padded(Int32(fraction), 3))Z"
    }

    /// Reads what `timestamp` writes (and the same without milliseconds).
    static func date(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 20, utf8.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            var value: Int32 = 0
            for index in range {
                guard index < utf8.count, utf8[index] >= 48, utf8[index] <= 57 else { return nil }
                value = value * 10 + Int32(utf8[index] - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var parts = tm()
        (parts.tm_year, parts.tm_mon, parts.tm_mday) = (year - 1900, month - 1, day)
        (parts.tm_hour, parts.tm_min, parts.tm_sec) = (hour, minute, second)
        let fraction = utf8.count == 24 && utf8[19] == UInt8(ascii: ".") ? number(20..<23) ?? 0 : 0
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)) + TimeInterval(fraction) / 1000)
    }

    /// A new random trace id (16 hex digits).
    public static func newTrace() -> String {
        let digits = String(UInt64.random(in: 1...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
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
