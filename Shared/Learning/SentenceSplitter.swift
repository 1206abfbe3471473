/// Where the sentences of scientific prose end: at `.`, `!` or `?` (and the quotes or
/// brackets closing on it) followed by white space and what can start a sentence (a capital,
/// a digit, `(`, `$`, a LaTeX command), but
/// - never inside `$…$`, `$$…$$`, `\(…\)` or `\[…\]` math, nor inside `{…}` (LaTeX arguments),
///   when the text's dollars, `\(`/`\)`, `\[`/`\]` and braces balance (a stray `$` turns that
///   rule off rather than stop all splitting; `$a$$b$` reads as unbalanced, `$$` being display math);
/// - never after an abbreviation (`et al.`, `Fig.`, `Eq.`, `cf.`, `e.g.`, `i.e.`, …) or an initial (`A. Smith`);
/// - never inside a number (`2.17`) or without white space after the stop.
/// Sentences come back with runs of ASCII white space (space, tab, CR, LF) collapsed to one
/// space and their markup as written, so joined with spaces they are the text with its white
/// space so collapsed (other spaces, such as U+00A0, stay as they are). Reads UTF-8 bytes: a
/// summary of an abstract should cost microseconds.
public enum SentenceSplitter {
    public static func sentences(_ text: String) -> [String] {
        var text = text
        text.makeContiguousUTF8()
        return text.utf8.withContiguousStorageIfAvailable(sentences(in:)) ?? []
    }

    static func sentences(in bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        let (mathBalances, bracesBalance) = balance(bytes)
        // `\(` and `\[` only open math when the text closes each: the same rule as for `$`.
        var sentences: [String] = []
        var start = 0, index = 0, braces = 0
        var inMath = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\\"):
                if index + 1 < bytes.count, mathBalances {
                    switch bytes[index + 1] {
                    case UInt8(ascii: "("), UInt8(ascii: "["): inMath = true
                    case UInt8(ascii: ")"), UInt8(ascii: "]"): inMath = false
                    default: break
                    }
                }
                // An escaped character (`\$`, `\%`, `\.`) or a command's first letter is never a stop itself.
                index += 2
                continue
            case UInt8(ascii: "$") where mathBalances:
                inMath.toggle()
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "$") { index += 1 }
            case UInt8(ascii: "{") where bracesBalance:
                braces += 1
            case UInt8(ascii: "}") where bracesBalance:
                braces = max(0, braces - 1)
            case UInt8(ascii: "."), UInt8(ascii: "!"), UInt8(ascii: "?"):
                if !inMath, braces == 0, let end = sentenceEnd(bytes, stop: index) {
                    append(bytes, start..<end, to: &sentences)
                    start = end
                    index = end
                    continue
                }
            default:
                break
            }
            index += 1
        }
        append(bytes, start..<bytes.count, to: &sentences)
        return sentences
    }

    /// Where the sentence ends if the stop at `stop` ends one: after the stop and what closes on it.
    private static func sentenceEnd(_ bytes: UnsafeBufferPointer<UInt8>, stop: Int) -> Int? {
        var end = stop + 1
        while end < bytes.count, [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: ")"), UInt8(ascii: "]")].contains(bytes[end]) { end += 1 }
        guard end < bytes.count else { return end }
        guard isSpace(bytes[end]) else { return nil }
        var next = end
        while next < bytes.count, isSpace(bytes[next]) { next += 1 }
        guard next < bytes.count else { return end }
        guard startsSentence(bytes, at: next) else { return nil }
        if bytes[stop] == UInt8(ascii: "."), isAbbreviation(bytes, period: stop) { return nil }
        return end
    }

    private static func startsSentence(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "$"), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "`"):
            return true
        case 0xC0...:
            // A capital outside ASCII (Å, Ω): decode the one scalar.
            var iterator = UnsafeBufferPointer(rebasing: bytes[index..<min(bytes.count, index + 4)]).makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar.properties.isUppercase }
            return false
        default:
            return false
        }
    }

    /// Whether the word ending at `period` is an abbreviation or an initial: `et al.`, `Fig.`, `e.g.`, `A.`.
    private static func isAbbreviation(_ bytes: UnsafeBufferPointer<UInt8>, period: Int) -> Bool {
        var start = period
        while start > 0, !isSpace(bytes[start - 1]), ![UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "~")].contains(bytes[start - 1]) {
            start -= 1
        }
        let length = period - start
        guard length > 0, length <= 8 else { return false }
        var word: [UInt8] = []
        word.reserveCapacity(length)
        var letters = 0, innerPeriods = 0
        for byte in bytes[start..<period] {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"):
                letters += 1
                word.append(byte | 0x20)
            case UInt8(ascii: "."):
                innerPeriods += 1
                word.append(byte)
            default:
                return false
            }
        }
        // An initial (`A.`), or letters with periods between them (`e.g.`, `i.e.`, `U.S.`).
        if letters == 1 || (innerPeriods > 0 && letters <= 4) { return true }
        return abbreviations.contains(word)
    }

    /// Lowercase abbreviations that end with a period and are followed by a capital or a number
    /// in scientific prose (`Fig. 3`, `Eq. (2)`, `Smith et al. (2019)`, `Sect. 4`).
    private static let abbreviations: Set<[UInt8]> = Set([
        "al", "fig", "figs", "eq", "eqs", "eqn", "eqns", "ref", "refs", "sec", "sect", "sects", "secs", "tab", "tabs", "vs", "cf",
        "approx", "resp", "dr", "prof", "no", "nos", "vol", "pp", "ch", "chap", "app", "ca", "mr", "mrs", "ms", "jr", "st", "mt",
        "viz", "thm", "lem", "prop", "def", "cor", "conj", "ex", "obs",
    ].map { Array($0.utf8) })

    /// Whether the text's unescaped dollars come in pairs and its braces close; if not, those
    /// rules are off (splitting where a stray `$` would forbid it is better than never splitting).
    private static func balance(_ bytes: UnsafeBufferPointer<UInt8>) -> (math: Bool, braces: Bool) {
        var dollars = 0, depth = 0, inlineOpen = 0, displayOpen = 0
        var bracesBalance = true
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"):
                if index + 1 < bytes.count {
                    switch bytes[index + 1] {
                    case UInt8(ascii: "("): inlineOpen += 1
                    case UInt8(ascii: ")"): inlineOpen -= 1
                    case UInt8(ascii: "["): displayOpen += 1
                    case UInt8(ascii: "]"): displayOpen -= 1
                    default: break
                    }
                }
                index += 1
            case UInt8(ascii: "$"):
                dollars += 1
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "$") { index += 1 }
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth < 0 { bracesBalance = false }
            default: break
            }
            index += 1
        }
        return (dollars % 2 == 0 && inlineOpen == 0 && displayOpen == 0, bracesBalance && depth == 0)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    /// Appends the bytes of `range` as one sentence, white space collapsed and trimmed (nothing if only white space).
    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to sentences: inout [String]) {
        var collapsed: [UInt8] = []
        collapsed.reserveCapacity(range.count)
        var pendingSpace = false
        for byte in bytes[range] {
            if isSpace(byte) {
                pendingSpace = !collapsed.isEmpty
            } else {
                if pendingSpace { collapsed.append(0x20) }
                pendingSpace = false
                collapsed.append(byte)
            }
        }
        if !collapsed.isEmpty { sentences.append(String(decoding: collapsed, as: UTF8.self)) }
    }
}
