/// Words of English scientific prose: lowercased letters and digits, with inner hyphens and
/// apostrophes kept (`x-ray`, `galaxy's` → `galaxy`); LaTeX commands and math are dropped.
///
/// Reads UTF-8 bytes: ASCII (nearly all of arXiv's text) without looking up Unicode
/// properties, other letters through their scalar's properties. Iterating `Character`s and
/// lowercasing each into a new `String` made tokenising most of the text models' time.
public enum Tokenizer {
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        forEachWord(text) { words.append(String(decoding: $0, as: UTF8.self)) }
        return words
    }

    /// `words` without English stop words.
    public static func contentWords(_ text: String) -> [String] {
        words(text).filter { !stopWords.contains($0) }
    }

    /// Calls `body` with the lowercased UTF-8 bytes of each word, in order.
    public static func forEachWord(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var text = text
        text.makeContiguousUTF8()
        var current: [UInt8] = []
        current.reserveCapacity(64)
        var hasLetter = false, skippingCommand = false
        func flush() {
            while let last = current.last, last == UInt8(ascii: "-") || last == UInt8(ascii: "'") { current.removeLast() }
            if current.count >= 2, current[current.count - 1] == UInt8(ascii: "s"), current[current.count - 2] == UInt8(ascii: "'") {
                current.removeLast(2)
            }
            // Decided after the possessive is gone: `1990's` is a number, not a word.
            if hasLetter, current.contains(where: { ($0 >= 0x61 && $0 <= 0x7A) || $0 >= 0x80 }) { current.withUnsafeBufferPointer(body) }
            current.removeAll(keepingCapacity: true)
            hasLetter = false
        }
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte < 0x80 {
                    index += 1
                    let isLetter = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A)
                    if byte == UInt8(ascii: "\\") {
                        flush()
                        skippingCommand = true
                        continue
                    }
                    if skippingCommand {
                        if isLetter { continue }
                        skippingCommand = false
                    }
                    if isLetter {
                        current.append(byte | 0x20)
                        hasLetter = true
                    } else if byte >= 0x30 && byte <= 0x39 {
                        current.append(byte)
                    } else if (byte == UInt8(ascii: "-") || byte == UInt8(ascii: "'")) && !current.isEmpty {
                        current.append(byte)
                    } else {
                        flush()
                    }
                    continue
                }
                let (scalar, width) = Self.scalar(bytes, at: index)
                index += width
                guard let scalar else {
                    flush()
                    continue
                }
                let properties = scalar.properties
                if skippingCommand {
                    if properties.isAlphabetic { continue }
                    skippingCommand = false
                }
                if scalar == "\u{2019}", !current.isEmpty {
                    current.append(UInt8(ascii: "'"))
                } else if properties.isAlphabetic {
                    current.append(contentsOf: properties.lowercaseMapping.utf8)
                    hasLetter = true
                } else if properties.numericType != nil {
                    current.append(contentsOf: String(scalar).utf8)
                } else {
                    flush()
                }
            }
        }
        flush()
    }

    /// The scalar a multi-byte UTF-8 sequence starting at `index` encodes, and its length
    /// (nil and 1 for a byte that starts none).
    private static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar?, Int) {
        let lead = bytes[index]
        let width = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        guard width > 1, index + width <= bytes.count else { return (nil, 1) }
        var value = UInt32(lead) & (0xFF >> (width + 1))
        for offset in 1..<width {
            let next = bytes[index + offset]
            guard next & 0xC0 == 0x80 else { return (nil, 1) }
            value = value << 6 | UInt32(next & 0x3F)
        }
        return (Unicode.Scalar(value), width)
    }

    public static let stopWords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
        "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how",
        "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me", "more", "most", "must", "my", "no",
        "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she",
        "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
        "those", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "using", "very", "via", "was", "we", "were",
        "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "you", "your",
    ]
}
