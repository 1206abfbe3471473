import Foundation

/// A statement parameter. Every value travels in PostgreSQL's text format; the server
/// converts it to the column's type (bytea accepts its `\x…` hex form).
public enum PostgresValue: Sendable, Hashable {
    case null
    case text(String)
}

/// A Swift value that can be bound to `$n` in a statement.
public protocol PostgresEncodable: Sendable {
    var postgresValue: PostgresValue { get }
}

/// A Swift value that can be read from a column in text format.
public protocol PostgresDecodable {
    init?(postgresText: String)
}

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue { .text(self) }
    public init?(postgresText: String) { self = postgresText }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue { .text(String(self)) }
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue { .text(String(self)) }
    public init?(postgresText: String) { self.init(postgresText) }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue {
        // PostgreSQL spells the special values its own way.
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self > 0 ? "Infinity" : "-Infinity") }
        return .text(String(self))
    }
    public init?(postgresText: String) {
        switch postgresText {
        case "NaN": self = .nan
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self.init(postgresText)
        }
    }
}

extension Float: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue { Double(self).postgresValue }
    public init?(postgresText: String) {
        guard let value = Double(postgresText: postgresText) else { return nil }
        self.init(value)
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue { .text(self ? "t" : "f") }
    public init?(postgresText: String) {
        switch postgresText {
        case "t", "true": self = true
        case "f", "false": self = false
        default: return nil
        }
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue {
        .text(formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted)))
    }

    /// Reads `timestamptz` text (`2026-11-24 06:25:54.123+00`); sessions use UTC (see `PostgresConnection`).
    public init?(postgresText: String) {
        var text = postgresText.replacingOccurrences(of: " ", with: "T")
        if text.hasSuffix("+00") { text = String(text.dropLast(3)) + "Z" }
        if let date = try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) {
            self = date
        } else if let date = try? Date(text, strategy: .iso8601) {
            self = date
        } else {
            return nil
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue { .text(uuidString.lowercased()) }
    public init?(postgresText: String) { self.init(uuidString: postgresText) }
}

/// `bytea` values: sent and read in the hex format.
extension [UInt8]: PostgresEncodable, PostgresDecodable {
    public var postgresValue: PostgresValue {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = Array("\\x".utf8)
        hex.reserveCapacity(2 + count * 2)
        for byte in self {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return .text(String(decoding: hex, as: UTF8.self))
    }

    public init?(postgresText: String) {
        let text = Array(postgresText.utf8)
        guard text.count >= 2, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x"), text.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((text.count - 2) / 2)
        var index = 2
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public var postgresValue: PostgresValue { self?.postgresValue ?? .null }
}

/// A JSON document for `json`/`jsonb` columns.
public struct PostgresJSON<Value: Codable & Sendable>: PostgresEncodable, PostgresDecodable, Sendable {
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public var postgresValue: PostgresValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(value) else { return .null }
        return .text(String(decoding: data, as: UTF8.self))
    }

    public init?(postgresText: String) {
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(postgresText.utf8)) else { return nil }
        self.value = value
    }
}

/// A `text[]` parameter (`$1::text[]`), quoted and escaped as an array literal.
public struct PostgresTextArray: PostgresEncodable, Sendable {
    public var values: [String]

    public init(_ values: [String]) { self.values = values }

    public var postgresValue: PostgresValue {
        .text("{" + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}")
    }
}
