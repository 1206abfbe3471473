/// A `Range` header (RFC 9110 §14.2) resolved against a file's length: one byte range
/// (`bytes=0-99`, `bytes=100-` to the end, `bytes=-100` the last 100) is served as 206; one that
/// starts past the end as 416; anything this server does not serve as a part (another unit, a
/// list of ranges, a malformed one) is ignored, and the whole file is sent, as the RFC allows.
enum ByteRange: Equatable {
    case whole
    case part(ClosedRange<Int>)
    case unsatisfiable

    static func resolve(_ header: String, length: Int) -> ByteRange {
        guard header.hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        func number(_ text: Substring) -> Int? { !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber } ? Int(text) : nil }
        if first.isEmpty {
            guard let suffix = number(last) else { return .whole }
            guard suffix > 0, length > 0 else { return .unsatisfiable }
            return .part(max(0, length - suffix)...(length - 1))
        }
        guard let start = number(first) else { return .whole }
        if last.isEmpty { return start < length ? .part(start...(length - 1)) : .unsatisfiable }
        guard let end = number(last), end >= start else { return .whole }
        return start < length ? .part(start...min(end, length - 1)) : .unsatisfiable
    }
}
