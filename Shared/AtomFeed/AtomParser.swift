import Arxiv
import Foundation
import XMLScan

/// Parses arXiv API responses (Atom 1.0 with the `opensearch:` and `arxiv:` extensions), in
/// both layouts arXiv has used: namespaces declared once on the feed (2026) or on each element
/// (2016). Elements are matched by namespace URI and local name, never by prefix.
public enum AtomParser {
    static let atom = "http://www.w3.org/2005/Atom"
    static let arxiv = "http://arxiv.org/schemas/atom"
    static let opensearch = "http://a9.com/-/spec/opensearch/1.1/"

    /// - Parameter source: names the input in errors (a file name or a URL).
    public static func parse(_ data: Data, source: String) throws(ArxivFeedError) -> ArxivFeed {
        var reader = XMLReader(Array(data))
        var collector = FeedCollector(source: source)
        do {
            while let event = try reader.next() {
                switch event {
                case let .start(name, attributes):
                    if reader.depth == 1, name != XMLName(namespace: atom, local: "feed") {
                        throw ArxivFeedError(source: source, kind: .notAtom, reason: "not an Atom feed (root element <\(name.local)>)")
                    }
                    collector.start(name, attributes)
                case let .end(name): collector.end(name)
                case let .text(text): collector.text += text
                }
            }
        } catch let error as XMLSyntaxError {
            throw ArxivFeedError(source: source, kind: .malformed, reason: error.description)
        } catch let error as ArxivFeedError {
            throw error
        } catch {
            throw ArxivFeedError(source: source, kind: .malformed, reason: "\(error)")
        }
        return try collector.feed()
    }
}

/// Collects the feed's counts and each entry's raw fields from the reader's events.
private struct FeedCollector {
    struct RawEntry {
        var id: String?
        var title = ""
        var summary = ""
        var published: String?
        var updated: String?
        var authors: [ArxivEntry.Author] = []
        var primaryCategory: String?
        var categories: [String] = []
        var doi: String?
        var comment: String?
        var journalRef: String?
        var links: [ArxivEntry.Link] = []
    }

    let source: String
    var totalResults: String?
    var startIndex: String?
    var itemsPerPage: String?
    var entries: [RawEntry] = []
    var entry: RawEntry?
    var author: ArxivEntry.Author?
    var text = ""

    init(source: String) {
        self.source = source
    }

    mutating func start(_ element: XMLName, _ attributes: [XMLAttribute]) {
        text = ""
        switch (element.namespace, element.local) {
        case (AtomParser.atom, "entry"): entry = RawEntry()
        case (AtomParser.atom, "author") where entry != nil: author = ArxivEntry.Author(name: "")
        case (AtomParser.atom, "link") where entry != nil:
            if let href = attributes["href"] {
                entry?.links.append(ArxivEntry.Link(href: href, rel: attributes["rel"], type: attributes["type"], title: attributes["title"]))
            }
        case (AtomParser.atom, "category") where entry != nil:
            if let term = attributes["term"] { entry?.categories.append(term) }
        case (AtomParser.arxiv, "primary_category") where entry != nil:
            entry?.primaryCategory = attributes["term"]
        default: break
        }
    }

    mutating func end(_ element: XMLName) {
        defer { text = "" }
        let value = text.collapsingWhitespace
        let (namespace, name) = (element.namespace, element.local)
        if entry == nil {
            switch (namespace, name) {
            case (AtomParser.opensearch, "totalResults"): totalResults = value
            case (AtomParser.opensearch, "startIndex"): startIndex = value
            case (AtomParser.opensearch, "itemsPerPage"): itemsPerPage = value
            default: break
            }
            return
        }
        switch (namespace, name) {
        case (AtomParser.atom, "entry"):
            if let entry { entries.append(entry) }
            entry = nil
        case (AtomParser.atom, "id"): entry?.id = value
        case (AtomParser.atom, "title"): entry?.title = value
        case (AtomParser.atom, "summary"): entry?.summary = value
        case (AtomParser.atom, "published"): entry?.published = value
        case (AtomParser.atom, "updated"): entry?.updated = value
        case (AtomParser.atom, "name") where author != nil: author?.name = value
        case (AtomParser.arxiv, "affiliation") where author != nil: if !value.isEmpty { author?.affiliations.append(value) }
        case (AtomParser.atom, "author"):
            if let author, !author.name.isEmpty { entry?.authors.append(author) }
            author = nil
        case (AtomParser.arxiv, "doi"): entry?.doi = value.isEmpty ? nil : value
        case (AtomParser.arxiv, "comment"): entry?.comment = value.isEmpty ? nil : value
        case (AtomParser.arxiv, "journal_ref"): entry?.journalRef = value.isEmpty ? nil : value
        default: break
        }
    }

    func feed() throws(ArxivFeedError) -> ArxivFeed {
        // arXiv reports a bad query as a feed with one entry titled "Error".
        if let error = entries.first(where: { $0.title == "Error" && ($0.id ?? "").contains("/api/errors") }) {
            throw ArxivFeedError(source: source, kind: .apiError, reason: "arXiv API error: \(Self.normalise(error.summary))")
        }
        var parsed: [ArxivEntry] = []
        for (index, raw) in entries.enumerated() {
            parsed.append(try entry(raw, index: index))
        }
        return ArxivFeed(
            totalResults: Int(totalResults ?? "") ?? parsed.count, startIndex: Int(startIndex ?? "") ?? 0,
            itemsPerPage: Int(itemsPerPage ?? "") ?? parsed.count, entries: parsed)
    }

    private func entry(_ raw: RawEntry, index: Int) throws(ArxivFeedError) -> ArxivEntry {
        func invalid(_ reason: String) -> ArxivFeedError {
            ArxivFeedError(source: source, kind: .invalidEntry, reason: "entry \(index + 1) (\(raw.id ?? "no id")): \(reason)")
        }
        guard let rawId = raw.id, let (id, version) = Self.identifier(rawId) else { throw invalid("missing or unreadable <id>") }
        guard let published = raw.published.flatMap(Self.date) else { throw invalid("missing or unreadable <published>") }
        guard let updated = raw.updated.flatMap(Self.date) else { throw invalid("missing or unreadable <updated>") }
        let title = raw.title
        guard !title.isEmpty else { throw invalid("empty <title>") }
        guard let primary = raw.primaryCategory ?? raw.categories.first else { throw invalid("no category") }
        var categories = raw.categories
        if !categories.contains(primary) { categories.insert(primary, at: 0) }
        return ArxivEntry(
            id: id, version: version, title: title, summary: raw.summary, authors: raw.authors,
            primaryCategory: primary, categories: categories, published: published, updated: updated,
            doi: raw.doi, comment: raw.comment, journalRef: raw.journalRef, links: raw.links)
    }

    /// `http://arxiv.org/abs/2202.12139v1` → (`2202.12139`, 1); `…/abs/quant-ph/0201082v1` → (`quant-ph/0201082`, 1).
    static func identifier(_ url: String) -> (String, Int)? {
        guard let range = url.range(of: "/abs/") else { return nil }
        let full = String(url[range.upperBound...])
        guard !full.isEmpty else { return nil }
        if let v = full.lastIndex(of: "v"), let version = Int(full[full.index(after: v)...]), v > full.startIndex {
            return (String(full[..<v]), version)
        }
        return (full, 1)
    }

    static func date(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }

    static func normalise(_ text: String) -> String {
        text.collapsingWhitespace
    }
}
