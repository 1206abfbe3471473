/// A decoded RESP2 reply.
public enum RedisValue: Sendable, Hashable {
    case null
    case status(String)
    case bulk([UInt8])
    case integer(Int)
    case array([RedisValue])
    case error(String)

    /// The reply as text: bulk and status replies, and integers in decimal.
    public var string: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        case .integer(let value): String(value)
        default: nil
        }
    }

    /// The reply as an integer: integer replies and bulk strings holding a decimal number.
    public var int: Int? {
        switch self {
        case .integer(let value): value
        case .bulk, .status: string.flatMap { Int($0) }
        default: nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    public var isNull: Bool { self == .null }
}

extension RedisValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: "(nil)"
        case .status(let text): text
        case .bulk: "\"\(string ?? "")\""
        case .integer(let value): "(integer) \(value)"
        case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .error(let message): "(error) \(message)"
        }
    }
}
