import Foundation

/// One paper version as the arXiv API describes it.
public struct ArxivEntry: Codable, Sendable, Equatable {
    public struct Author: Codable, Sendable, Equatable {
        public var name: String
        public var affiliations: [String]

        public init(name: String, affiliations: [String] = []) {
            (self.name, self.affiliations) = (name, affiliations)
        }
    }

    public struct Link: Codable, Sendable, Equatable {
        public var href: String
        public var rel: String?
        public var type: String?
        public var title: String?

        public init(href: String, rel: String? = nil, type: String? = nil, title: String? = nil) {
            (self.href, self.rel, self.type, self.title) = (href, rel, type, title)
        }
    }

    /// The identifier without version: `2202.12139`, `quant-ph/0201082`.
    public var id: String
    public var version: Int
    public var title: String
    public var summary: String
    public var authors: [Author]
    /// `cs.SE`.
    public var primaryCategory: String
    /// Every category, the primary one included, in the feed's order.
    public var categories: [String]
    /// When version 1 appeared.
    public var published: Date
    /// When this version appeared.
    public var updated: Date
    public var doi: String?
    public var comment: String?
    public var journalRef: String?
    public var links: [Link]

    enum CodingKeys: String, CodingKey {
        case id, version, title, summary, authors, primaryCategory = "primary_category", categories, published, updated, doi, comment,
             journalRef = "journal_ref", links
    }

    public init(
        id: String, version: Int, title: String, summary: String, authors: [Author], primaryCategory: String, categories: [String],
        published: Date, updated: Date, doi: String? = nil, comment: String? = nil, journalRef: String? = nil, links: [Link] = []
    ) {
        (self.id, self.version, self.title, self.summary, self.authors) = (id, version, title, summary, authors)
        (self.primaryCategory, self.categories, self.published, self.updated) = (primaryCategory, categories, published, updated)
        (self.doi, self.comment, self.journalRef, self.links) = (doi, comment, journalRef, links)
    }

    /// `2202.12139v1`.
    public var versionedId: String { "\(id)v\(version)" }

    /// The archive of the primary category: `astro-ph` for `astro-ph.GA`, `hep-th` for `hep-th`.
    public var archive: String { Self.archive(of: primaryCategory) }

    public static func archive(of category: String) -> String {
        String(category.prefix { $0 != "." })
    }

    /// The abstract page (`rel="alternate"`), if listed.
    public var abstractURL: String? { links.first { $0.rel == "alternate" }?.href }
    /// The PDF (`title="pdf"`), if listed.
    public var pdfURL: String? { links.first { $0.title == "pdf" }?.href }
}

/// One response page of the API.
public struct ArxivFeed: Sendable, Equatable {
    /// `opensearch:totalResults`: matches of the whole query.
    public var totalResults: Int
    public var startIndex: Int
    public var itemsPerPage: Int
    public var entries: [ArxivEntry]

    public init(totalResults: Int, startIndex: Int, itemsPerPage: Int, entries: [ArxivEntry]) {
        self.totalResults = totalResults
        self.startIndex = startIndex
        self.itemsPerPage = itemsPerPage
        self.entries = entries
    }
}

/// A response that is not a usable Atom feed, naming where it came from.
public struct ArxivFeedError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not well-formed XML (truncated, garbled).
        case malformed
        /// Well-formed, but not an Atom feed (an HTML error page).
        case notAtom
        /// arXiv's own error feed: one entry titled "Error".
        case apiError
        /// An entry lacks something every entry has.
        case invalidEntry
    }

    public var source: String
    public var kind: Kind
    public var reason: String

    public init(source: String, kind: Kind, reason: String) {
        (self.source, self.kind, self.reason) = (source, kind, reason)
    }

    public var description: String { "\(source): \(reason)" }
}
