import Foundation

/// A message contract: a `Codable` body with its stream, type name and schema version.
///
/// Consumers accept the versions they know; a newer major shape gets a new version number
/// and both are documented in docs/STREAMS.md while they coexist.
public protocol StreamMessage: Codable, Sendable {
    static var stream: String { get }
    static var type: String { get }
    static var version: Int { get }
    /// The same logical message always yields the same key, so redelivery and republishing
    /// are harmless to idempotent consumers.
    var idempotencyKey: String { get }
}

/// A message whose type or version this consumer does not understand.
public struct UnsupportedMessageError: Error, Sendable, CustomStringConvertible, NonRetryableError {
    public var stream: String
    public var type: String
    public var version: Int
    public var reason: String

    public var description: String { "cannot read \(type) v\(version) on \(stream): \(reason)" }
}

/// One encoder and decoder for all message bodies (making them per message costs more than using them).
enum MessageCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension StreamMessage {
    static var encoder: JSONEncoder { MessageCoding.encoder }
    static var decoder: JSONDecoder { MessageCoding.decoder }

    /// Wraps the message in an envelope.
    public func envelope(trace: String, producer: String) throws -> Envelope {
        let body = String(decoding: try Self.encoder.encode(self), as: UTF8.self)
        return Envelope(type: Self.type, version: Self.version, id: idempotencyKey, trace: trace, producer: producer, body: body)
    }

    /// Reads the message out of an envelope, checking its type and version.
    public init(envelope: Envelope, stream: String) throws {
        guard envelope.type == Self.type else {
            throw UnsupportedMessageError(stream: stream, type: envelope.type, version: envelope.version, reason: "expected type \(Self.type)")
        }
        guard envelope.version == Self.version else {
            throw UnsupportedMessageError(stream: stream, type: envelope.type, version: envelope.version, reason: "this consumer reads v\(Self.version)")
        }
        do {
            self = try Self.decoder.decode(Self.self, from: Data(envelope.body.utf8))
        } catch {
            throw UnsupportedMessageError(stream: stream, type: envelope.type, version: envelope.version, reason: "body does not decode: \(error)")
        }
    }
}

/// A contract that still reads its previous version while both coexist in streams: entries
/// written before an upgrade are converted, not dead-lettered as unsupported.
public protocol UpgradingStreamMessage: StreamMessage {
    associatedtype Previous: StreamMessage
    init(upgrading previous: Previous)
}

extension UpgradingStreamMessage {
    /// Reads this version, or the previous one converted.
    public init(readingAnyVersionOf envelope: Envelope, stream: String) throws {
        if envelope.type == Previous.type, envelope.version == Previous.version, Previous.version != Self.version {
            self.init(upgrading: try Previous(envelope: envelope, stream: stream))
        } else {
            try self.init(envelope: envelope, stream: stream)
        }
    }
}
