extension String {
    /// The text with leading and trailing white space removed and every inner run of white
    /// space (Unicode's White_Space: tabs, line breaks, no-break and ideographic spaces, …) made
    /// one space: how titles and abstracts wrapped at 80 columns are stored.
    ///
    /// Works on the UTF-8 bytes: `split(whereSeparator: \.isWhitespace)` looks up each
    /// character's Unicode properties and was most of the time spent parsing a feed.
    public var collapsingWhitespace: String {
        var copy = self
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable { bytes -> String in
            guard Self.needsCollapsing(bytes) else { return copy }
            return String(unsafeUninitializedCapacity: bytes.count) { output in
                var count = 0, pendingSpace = false, index = 0
                while index < bytes.count {
                    let width = Self.whitespaceWidth(bytes, at: index)
                    if width > 0 {
                        pendingSpace = true
                        index += width
                        continue
                    }
                    if pendingSpace, count > 0 {
                        output[count] = 0x20
                        count += 1
                    }
                    pendingSpace = false
                    output[count] = bytes[index]
                    count += 1
                    index += 1
                }
                return count
            }
        } ?? copy
    }

    /// Whether anything but single spaces between words is white space.
    private static func needsCollapsing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first == 0x20 || last == 0x20 { return true }
        var previousSpace = false
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0x20 {
                if previousSpace { return true }
                previousSpace = true
                continue
            }
            previousSpace = false
            if byte < 0x80 ? (byte >= 0x09 && byte <= 0x0D) : whitespaceWidth(bytes, at: index) > 0 { return true }
        }
        return false
    }

    /// The length in bytes of the white-space character at `index`, or 0.
    @inline(__always)
    private static func whitespaceWidth(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let byte = bytes[index]
        if byte < 0x80 { return (byte >= 0x09 && byte <= 0x0D) || byte == 0x20 ? 1 : 0 }
        guard byte == 0xC2 || (byte >= 0xE1 && byte <= 0xE3) else { return 0 }
        let second = index + 1 < bytes.count ? bytes[index + 1] : 0, third = index + 2 < bytes.count ? bytes[index + 2] : 0
        switch byte {
        case 0xC2: return second == 0x85 || second == 0xA0 ? 2 : 0  // U+0085, U+00A0
        case 0xE1: return second == 0x9A && third == 0x80 ? 3 : 0  // U+1680
        case 0xE2:
            // U+2000–200A, U+2028, U+2029, U+202F; U+205F.
            if second == 0x80, (third >= 0x80 && third <= 0x8A) || third == 0xA8 || third == 0xA9 || third == 0xAF { return 3 }
            return second == 0x81 && third == 0x9F ? 3 : 0
        default: return second == 0x80 && third == 0x80 ? 3 : 0  // 0xE3: U+3000
        }
    }
}
