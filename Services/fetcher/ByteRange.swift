/// One range of a `Range: bytes=…` header (RFC 9110 §14.1.2) resolved against a length:
/// `bytes=0-99`, `bytes=100-` (to the end), `bytes=-100` (the last 100). A list of ranges, a
/// unit other than bytes, or a range past the end is nil: the whole answer is then 416.
enum ByteRange {
    static func resolve(_ header: String, length: Int) -> ClosedRange<Int>? {
        guard header.hasPrefix("bytes="), length > 0 else { return nil }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        func number(_ text: Substring) -> Int? { text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) ? Int(text) : nil }
        if first.isEmpty {
            guard let suffix = number(last), suffix > 0 else { return nil }
            return max(0, length - suffix)...(length - 1)
        }
        guard let start = number(first), start < length else { return nil }
        if last.isEmpty { return start...(length - 1) }
        guard let end = number(last), end >= start else { return nil }
        return start...min(end, length - 1)
    }
}
