import Foundation

/// A header keyword's value, typed as FITS writes it.
public enum FITSValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case double(Double)
    case logical(Bool)
    /// A keyword with no value (`COMMENT`, `HISTORY`, or an undefined value).
    case undefined

    /// Parses the value field of a header card as cfitsio returns it (`'G7      '`, `T`, `42`, `1.5D-3`).
    /// Byte-wise: a header has ~120 cards and every spectrum read parses them all. FITS headers
    /// are ASCII (the standard allows bytes 32–126), so only spaces and tabs are trimmed.
    init(card value: String) {
        let bytes = Array(value.utf8)
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var (start, end) = (0, bytes.count)
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        let text = bytes[start..<end]
        let quote = UInt8(ascii: "'")
        if text.first == quote {
            // Between the quotes, '' is an escaped quote; trailing blanks are padding.
            var inner = text.dropFirst()
            if inner.last == quote { inner = inner.dropLast() }
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(inner.count)
            var index = inner.startIndex
            while index < inner.endIndex {
                unescaped.append(inner[index])
                index += inner[index] == quote && index + 1 < inner.endIndex && inner[index + 1] == quote ? 2 : 1
            }
            while unescaped.last == UInt8(ascii: " ") { unescaped.removeLast() }
            self = .string(String(decoding: unescaped, as: UTF8.self))
            return
        }
        let string = String(decoding: text, as: UTF8.self)
        if string == "T" || string == "F" {
            self = .logical(string == "T")
        } else if let integer = Int(string) {
            self = .integer(integer)
        } else if let double = Double(String(decoding: text.map { $0 == UInt8(ascii: "D") ? UInt8(ascii: "E") : $0 }, as: UTF8.self)) {
            self = .double(double)
        } else {
            self = string.isEmpty ? .undefined : .string(string)
        }
    }

    public var string: String? {
        switch self {
        case .string(let text): text
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .logical(let value): value ? "T" : "F"
        case .undefined: nil
        }
    }

    /// Numbers as Double; a numeric string is read too (some writers quote numbers).
    public var double: Double? {
        switch self {
        case .double(let value): value
        case .integer(let value): Double(value)
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    public var integer: Int? {
        switch self {
        case .integer(let value): value
        case .double(let value) where value.rounded() == value && abs(value) < 9e18: Int(value)
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    public var logical: Bool? {
        if case .logical(let value) = self { return value }
        return nil
    }
}

/// One header card.
public struct FITSCard: Sendable, Hashable {
    public var name: String
    public var value: FITSValue
    public var comment: String
}

/// All cards of one HDU's header, in file order, with typed look-up by keyword.
public struct FITSHeader: Sendable {
    public var cards: [FITSCard]
    private var index: [String: Int]

    init(cards: [FITSCard]) {
        self.cards = cards
        var index: [String: Int] = [:]
        for (position, card) in cards.enumerated() where index[card.name] == nil && card.value != .undefined {
            index[card.name] = position
        }
        self.index = index
    }

    /// The value of the first card named `keyword`, nil when absent or valueless.
    public subscript(keyword: String) -> FITSValue? {
        index[keyword.uppercased()].map { cards[$0].value }
    }

    /// Keywords that carry a value.
    public var keywords: [String] { cards.filter { $0.value != .undefined }.map(\.name) }
}
