import Testing
import XMLScan

@Suite("XML reader: namespaces, references and CDATA read; every well-formedness fault named with its line and column")
struct XMLReaderTests {
    static func events(_ text: String) throws -> [XMLEvent] {
        var reader = XMLReader(Array(text.utf8))
        var events: [XMLEvent] = []
        while let event = try reader.next() { events.append(event) }
        return events
    }

    static func failure(_ text: String) -> XMLSyntaxError? {
        do {
            _ = try events(text)
            return nil
        } catch let error as XMLSyntaxError {
            return error
        } catch {
            return nil
        }
    }

    static let atom = "http://www.w3.org/2005/Atom"

    @Test("elements are named by namespace URI: a default namespace, a prefix, and a prefix rebound inside")
    func namespaces() throws {
        let events = try Self.events("""
            <?xml version="1.0"?><!-- a feed --><feed xmlns="\(Self.atom)" xmlns:a="urn:one"><a:x a:k="1" k="2"/>\
            <e xmlns:a="urn:two"><a:x/></e><a:x/></feed>
            """)
        let starts = events.compactMap { if case let .start(name, attributes) = $0 { (name, attributes) } else { nil } }
        #expect(starts.map(\.0) == [
            XMLName(namespace: Self.atom, local: "feed"), XMLName(namespace: "urn:one", local: "x"), XMLName(namespace: Self.atom, local: "e"),
            XMLName(namespace: "urn:two", local: "x"), XMLName(namespace: "urn:one", local: "x"),
        ])
        // Unprefixed attributes are in no namespace; namespace declarations are not attributes.
        #expect(starts[0].1.isEmpty)
        #expect(starts[1].1 == [XMLAttribute(name: XMLName(namespace: "urn:one", local: "k"), value: "1"), XMLAttribute(name: XMLName(namespace: "", local: "k"), value: "2")])
        #expect(starts[1].1["k"] == "2")
        #expect(events.last == .end(XMLName(namespace: Self.atom, local: "feed")))
    }

    @Test("entity and character references and CDATA come out as the text they stand for; a literal tab in an attribute becomes a space, a &#10; stays a newline")
    func text() throws {
        let events = try Self.events("<r t='a&#10;b\tc &amp; &quot;d&quot;'>x &lt; y &#xE9;&#233; <![CDATA[<$\\alpha$> & co]]> &apos;</r>")
        #expect(events == [
            .start(XMLName(namespace: "", local: "r"), [XMLAttribute(name: XMLName(namespace: "", local: "t"), value: "a\nb c & \"d\"")]),
            .text("x < y éé "), .text("<$\\alpha$> & co"), .text(" '"), .end(XMLName(namespace: "", local: "r")),
        ])
    }

    @Test("a DOCTYPE with an internal subset and a byte order mark are skipped")
    func prolog() throws {
        let text = "\u{FEFF}<?xml version='1.0'?>\n<!DOCTYPE r [ <!ELEMENT r ANY> <!ATTLIST r a CDATA \"x>y\"> ]>\n<r/>\n"
        #expect(try Self.events(text) == [.start(XMLName(namespace: "", local: "r"), []), .end(XMLName(namespace: "", local: "r"))])
    }

    @Test("each fault is an error saying what and where", arguments: [
        ("<a><b></a>", 1, 7, "end tag </a> does not close <b>"),
        ("<a>\n<b>text", 2, 8, "document ends inside <b> (truncated?)"),
        ("<a><x:b/></a>", 1, 4, "namespace prefix x of x:b is not declared"),
        ("<a k='1' k='2'/>", 1, 10, "attribute k repeated in <a>"),
        ("<a/><b/>", 1, 5, "a second root element"),
        ("<a/>tail", 1, 5, "text after the root element"),
        ("<a>&nbsp;</a>", 1, 4, "undefined entity &nbsp;"),
        ("<a>AT&T</a>", 1, 6, "'&' not followed by an entity or character reference"),
        ("<a k=1/>", 1, 6, "attribute k of <a> is not quoted"),
        ("<a k='<'/>", 1, 7, "'<' in the value of attribute k"),
        ("<a><!-- open", 1, 4, "unterminated comment (truncated?)"),
        ("<a><!--></a>", 1, 4, "unterminated comment (truncated?)"),
        ("<a>&#+65;</a>", 1, 4, "undefined entity &#+65;"),
        ("<a>&#1;</a>", 1, 4, "undefined entity &#1;"),
        ("<a><![CDATA[x</a>", 1, 4, "unterminated CDATA section (truncated?)"),
        ("<a><1/></a>", 1, 5, "invalid element name"),
        ("", 1, 1, "no root element"),
        ("<a", 1, 1, "document ends inside the tag <a (truncated?)"),
        ("</a>", 1, 1, "end tag </a> with no element open"),
    ])
    func faults(_ text: String, line: Int, column: Int, reason: String) {
        let error = Self.failure(text)
        #expect(error == XMLSyntaxError(line: line, column: column, reason: reason), "\(text): \(String(describing: error))")
        #expect(error?.description.hasPrefix("not well-formed XML at line \(line), column \(column): ") == true)
    }

    @Test("bytes that are not UTF-8 are an error, not replacement characters")
    func encoding() {
        var reader = XMLReader([0x3C, 0x61, 0x3E, 0xC3, 0x28, 0x3C, 0x2F, 0x61, 0x3E])
        #expect(throws: XMLSyntaxError(line: 1, column: 4, reason: "text is not valid UTF-8")) {
            while try reader.next() != nil {}
        }
    }
}
