/// A strict pull reader of XML 1.0 with namespaces, over UTF-8 bytes: the events of one
/// document, in order, or the first well-formedness error with its line and column.
///
/// Written for the feeds Starstream harvests (arXiv's Atom and OAI-PMH responses), which need
/// elements, attributes, namespaces, character references, CDATA and comments, and no DTD: a
/// `<!DOCTYPE …>` is skipped and an entity it might declare is an error when used. It replaces
/// FoundationXML, whose libxml2 callbacks cost a third of a millisecond per arXiv entry and
/// whose library every image then had to carry.
public struct XMLReader {
    private let bytes: [UInt8]
    private var index: Int
    /// Open elements, innermost last: the tag as written (to match its end tag), the resolved
    /// name, and how many namespace bindings it declared.
    private var open: [(tag: String, name: XMLName, bindings: Int)] = []
    /// In scope, innermost last; looked up from the end.
    private var bindings: [(prefix: String, uri: String)] = [("xml", "http://www.w3.org/XML/1998/namespace")]
    /// The end event owed by an empty-element tag (`<a/>`).
    private var pendingEnd = false
    private var sawRoot = false

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte order mark is allowed before the declaration.
        index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// How many elements are open.
    public var depth: Int { open.count }

    /// The next event, or nil at the end of a complete document.
    public mutating func next() throws(XMLSyntaxError) -> XMLEvent? {
        if pendingEnd {
            pendingEnd = false
            return .end(close())
        }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                if open.isEmpty {
                    guard bytes[start..<index].allSatisfy(Self.isSpace) else {
                        throw error(at: start, sawRoot ? "text after the root element" : "text before the root element")
                    }
                    continue
                }
                return .text(try decode(start..<index))
            }
            switch byte(at: index + 1) {
            case UInt8(ascii: "/"): return .end(try endTag())
            case UInt8(ascii: "?"): try skip(past: "?>", from: index + 2, what: "processing instruction")
            case UInt8(ascii: "!"):
                if matches("<!--", at: index) {
                    // From after the opening: `<!-->` does not close itself.
                    try skip(past: "-->", from: index + 4, what: "comment")
                } else if matches("<![CDATA[", at: index) {
                    guard !open.isEmpty else { throw error(at: index, "CDATA outside the root element") }
                    let start = index + 9
                    guard let end = find("]]>", from: start) else { throw error(at: index, "unterminated CDATA section (truncated?)") }
                    index = end + 3
                    return .text(try string(start..<end))
                } else if matches("<!DOCTYPE", at: index), !sawRoot {
                    try skipDoctype()
                } else {
                    throw error(at: index, "unexpected '<!'")
                }
            default:
                guard !(sawRoot && open.isEmpty) else { throw error(at: index, "a second root element") }
                return try startTag()
            }
        }
        if let innermost = open.last { throw error(at: index, "document ends inside <\(innermost.tag)> (truncated?)") }
        guard sawRoot else { throw error(at: index, "no root element") }
        return nil
    }

    // MARK: - Tags

    private mutating func startTag() throws(XMLSyntaxError) -> XMLEvent {
        let tagStart = index
        index += 1
        let tag = try name(what: "element name")
        var raw: [(name: String, value: String, at: Int)] = []
        while true {
            let spaced = skipSpace()
            guard index < bytes.count else { throw error(at: tagStart, "document ends inside the tag <\(tag) (truncated?)") }
            if bytes[index] == UInt8(ascii: ">") {
                index += 1
                break
            }
            if bytes[index] == UInt8(ascii: "/") {
                guard byte(at: index + 1) == UInt8(ascii: ">") else { throw error(at: index, "'/' not followed by '>' in <\(tag)>") }
                index += 2
                pendingEnd = true
                break
            }
            guard spaced else { throw error(at: index, "attributes of <\(tag)> must be separated by white space") }
            let at = index
            let attribute = try name(what: "attribute name")
            skipSpace()
            guard byte(at: index) == UInt8(ascii: "=") else { throw error(at: index, "attribute \(attribute) of <\(tag)> has no '='") }
            index += 1
            skipSpace()
            guard let quote = byte(at: index), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw error(at: index, "attribute \(attribute) of <\(tag)> is not quoted")
            }
            let valueStart = index + 1
            var end = valueStart
            while end < bytes.count, bytes[end] != quote {
                guard bytes[end] != UInt8(ascii: "<") else { throw error(at: end, "'<' in the value of attribute \(attribute)") }
                end += 1
            }
            guard end < bytes.count else { throw error(at: index, "document ends inside attribute \(attribute) (truncated?)") }
            index = end + 1
            guard !raw.contains(where: { $0.name == attribute }) else { throw error(at: at, "attribute \(attribute) repeated in <\(tag)>") }
            // Attribute-value normalisation: each white-space character is one space.
            raw.append((attribute, try decode(valueStart..<end, normalisingSpace: true), at))
        }
        var declared = 0
        for attribute in raw {
            if attribute.name == "xmlns" {
                bindings.append(("", attribute.value))
                declared += 1
            } else if attribute.name.hasPrefix("xmlns:") {
                let prefix = String(attribute.name.dropFirst(6))
                guard !attribute.value.isEmpty else { throw error(at: attribute.at, "namespace prefix \(prefix) bound to an empty URI") }
                bindings.append((prefix, attribute.value))
                declared += 1
            }
        }
        let name = try resolve(tag, at: tagStart, isElement: true)
        var attributes: [XMLAttribute] = []
        attributes.reserveCapacity(raw.count)
        for attribute in raw where attribute.name != "xmlns" && !attribute.name.hasPrefix("xmlns:") {
            attributes.append(XMLAttribute(name: try resolve(attribute.name, at: attribute.at, isElement: false), value: attribute.value))
        }
        open.append((tag, name, declared))
        sawRoot = true
        return .start(name, attributes)
    }

    private mutating func endTag() throws(XMLSyntaxError) -> XMLName {
        let at = index
        index += 2
        let tag = try name(what: "element name")
        skipSpace()
        guard byte(at: index) == UInt8(ascii: ">") else {
            throw error(at: index, index < bytes.count ? "end tag </\(tag) not closed by '>'" : "document ends inside </\(tag) (truncated?)")
        }
        index += 1
        guard let innermost = open.last else { throw error(at: at, "end tag </\(tag)> with no element open") }
        guard innermost.tag == tag else { throw error(at: at, "end tag </\(tag)> does not close <\(innermost.tag)>") }
        return close()
    }

    /// Closes the innermost element and its namespace bindings.
    private mutating func close() -> XMLName {
        let closed = open.removeLast()
        bindings.removeLast(closed.bindings)
        return closed.name
    }

    private func resolve(_ qualified: String, at: Int, isElement: Bool) throws(XMLSyntaxError) -> XMLName {
        guard let colon = qualified.utf8.firstIndex(of: UInt8(ascii: ":")) else {
            // An unprefixed attribute is in no namespace; an unprefixed element is in the default one.
            return XMLName(namespace: isElement ? lookup("") ?? "" : "", local: qualified)
        }
        let prefix = String(qualified[..<colon]), local = String(qualified[qualified.index(after: colon)...])
        guard !prefix.isEmpty, !local.isEmpty else { throw error(at: at, "malformed qualified name \(qualified)") }
        guard let uri = lookup(prefix) else { throw error(at: at, "namespace prefix \(prefix) of \(qualified) is not declared") }
        return XMLName(namespace: uri, local: local)
    }

    private func lookup(_ prefix: String) -> String? {
        bindings.last { $0.prefix == prefix }?.uri
    }

    // MARK: - Lexical pieces

    private mutating func name(what: String) throws(XMLSyntaxError) -> String {
        let start = index
        while index < bytes.count, !Self.endsName(bytes[index]) { index += 1 }
        guard index > start, Self.startsName(bytes[start]) else {
            throw error(at: start, index >= bytes.count ? "document ends inside a tag (truncated?)" : "invalid \(what)")
        }
        return try string(start..<index)
    }

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = index
        while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
        return index > start
    }

    private mutating func skip(past terminator: String, from start: Int, what: String) throws(XMLSyntaxError) {
        guard let end = find(terminator, from: start) else { throw error(at: index, "unterminated \(what) (truncated?)") }
        index = end + terminator.utf8.count
    }

    /// `<!DOCTYPE …>`, with an internal subset in brackets if any.
    private mutating func skipDoctype() throws(XMLSyntaxError) {
        let start = index
        var inSubset = false, quote: UInt8? = nil
        index += 9
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                inSubset = true
            } else if byte == UInt8(ascii: "]") {
                inSubset = false
            } else if byte == UInt8(ascii: ">"), !inSubset {
                return
            }
        }
        throw error(at: start, "unterminated <!DOCTYPE (truncated?)")
    }

    private func find(_ needle: String, from start: Int) -> Int? {
        let pattern = Array(needle.utf8)
        var position = start
        while position + pattern.count <= bytes.count {
            if bytes[position] == pattern[0], matches(pattern, at: position) { return position }
            position += 1
        }
        return nil
    }

    private func matches(_ text: String, at position: Int) -> Bool {
        matches(Array(text.utf8), at: position)
    }

    private func matches(_ pattern: [UInt8], at position: Int) -> Bool {
        guard position + pattern.count <= bytes.count else { return false }
        for offset in 0..<pattern.count where bytes[position + offset] != pattern[offset] { return false }
        return true
    }

    private func byte(at position: Int) -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    /// Character data with its references (`&amp;`, `&#233;`, `&#xE9;`) replaced.
    private func decode(_ range: Range<Int>, normalisingSpace: Bool = false) throws(XMLSyntaxError) -> String {
        guard bytes[range].contains(where: { $0 == UInt8(ascii: "&") || (normalisingSpace && Self.isSpace($0) && $0 != 0x20) }) else {
            return try string(range)
        }
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var position = range.lowerBound
        while position < range.upperBound {
            let byte = bytes[position]
            if normalisingSpace, Self.isSpace(byte) {
                output.append(0x20)
                position += 1
                continue
            }
            guard byte == UInt8(ascii: "&") else {
                output.append(byte)
                position += 1
                continue
            }
            var end = position + 1
            while end < range.upperBound, end - position <= 12, bytes[end] != UInt8(ascii: ";") { end += 1 }
            guard end < range.upperBound, bytes[end] == UInt8(ascii: ";") else {
                throw error(at: position, "'&' not followed by an entity or character reference")
            }
            let reference = try string(position + 1..<end)
            switch reference {
            case "lt": output.append(UInt8(ascii: "<"))
            case "gt": output.append(UInt8(ascii: ">"))
            case "amp": output.append(UInt8(ascii: "&"))
            case "quot": output.append(UInt8(ascii: "\""))
            case "apos": output.append(UInt8(ascii: "'"))
            default:
                guard reference.hasPrefix("#"), let scalar = Self.characterReference(reference.dropFirst()) else {
                    throw error(at: position, "undefined entity &\(reference);")
                }
                output.append(contentsOf: String(Character(scalar)).utf8)
            }
            position = end + 1
        }
        guard let text = String(validating: output, as: UTF8.self) else { throw error(at: range.lowerBound, "text is not valid UTF-8") }
        return text
    }

    /// `233` or `xE9`: digits only, naming a character XML allows (tab, line feed, carriage
    /// return, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF).
    private static func characterReference(_ digits: Substring) -> Unicode.Scalar? {
        let hex = digits.hasPrefix("x")
        let body = hex ? digits.dropFirst() : digits
        guard !body.isEmpty, body.allSatisfy({ hex ? $0.isHexDigit : ("0"..."9").contains($0) }) else { return nil }
        guard let value = UInt32(body, radix: hex ? 16 : 10) else { return nil }
        let allowed = value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
        return allowed ? Unicode.Scalar(value) : nil
    }

    private func string(_ range: Range<Int>) throws(XMLSyntaxError) -> String {
        guard let text = String(validating: bytes[range], as: UTF8.self) else { throw error(at: range.lowerBound, "text is not valid UTF-8") }
        return text
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "=")
            || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// Letters, `_`, `:` or any non-ASCII character.
    private static func startsName(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    /// The error at a byte offset, with its 1-based line and column.
    private func error(at offset: Int, _ reason: String) -> XMLSyntaxError {
        let end = min(offset, bytes.count)
        var line = 1, lineStart = 0
        for position in 0..<end where bytes[position] == 0x0A {
            line += 1
            lineStart = position + 1
        }
        return XMLSyntaxError(line: line, column: end - lineStart + 1, reason: reason)
    }
}
