/// 64-bit names of word 1- and 2-grams, computed from the tokenizer's bytes without making a
/// `String` per gram: FNV-1a for a word, a mixed combination for a pair, and a salt for a gram
/// of the title when titles are features of their own. A term written as text (`dark matter`,
/// `t:dark matter` for the title's) has the same hash, so vocabularies stored as words read
/// the same as ones stored as hashes. Collisions among a vocabulary's ~10⁵–10⁶ grams have a
/// probability of about 10⁻⁸.
public enum GramHash {
    public static func word(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    public static func word(_ text: Substring) -> UInt64 {
        var text = String(text)
        return text.withUTF8 { word($0) }
    }

    public static func pair(_ first: UInt64, _ second: UInt64) -> UInt64 {
        mix((first << 23 | first >> 41) ^ second ^ 0x9E37_79B9_7F4A_7C15)
    }

    public static func title(_ gram: UInt64) -> UInt64 {
        mix(gram ^ 0xD6E8_FEB8_6659_FD93)
    }

    /// The hash of a term as text: one word, two words separated by a space, `t:` before a title's.
    public static func term(_ text: String) -> UInt64 {
        let isTitle = text.hasPrefix("t:")
        let words = (isTitle ? text.dropFirst(2) : Substring(text)).split(separator: " ", omittingEmptySubsequences: false)
        let hash = words.count == 2 ? pair(word(words[0]), word(words[1])) : word(words.first ?? "")
        return isTitle ? title(hash) : hash
    }

    /// SplitMix64's finaliser: every input bit moves about half of the output bits.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The stop words' hashes, to drop them without making their strings.
    static let stopWords: Set<UInt64> = Set(Tokenizer.stopWords.map { term($0) })
}
