import Foundation

/// One line of a JSON-lines file of arXiv papers, in either of the two layouts users hold:
///
/// - Starstream's corpus (`../shared/fixtures/arxiv-corpus`): `id`, `title`, `abstract`,
///   `primary_category`, `categories` (an array, the primary first), `date` (the first
///   submission day).
/// - The public arXiv metadata snapshot (`arxiv-metadata-oai-snapshot.json`): `id`, `title`,
///   `abstract`, `categories` as one space-separated string whose first entry is the primary,
///   `versions` (`[{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}, …]`),
///   `update_date`, `authors_parsed` (`[[keyname, forenames, suffix], …]`), `doi`, `comments`,
///   `journal-ref`.
///
/// A line becomes the paper's newest version as the API would list it, or a rejection that
/// says what is wrong with it.
public struct ArxivMetadataReader {
    private let decoder = JSONDecoder()
    private let rfc1123: DateFormatter

    public init() {
        rfc1123 = DateFormatter()
        rfc1123.locale = Locale(identifier: "en_US_POSIX")
        rfc1123.timeZone = TimeZone(identifier: "GMT")
        rfc1123.dateFormat = "EEE, d MMM yyyy HH:mm:ss zzz"
    }

    /// A version's `created` (`Mon, 2 Apr 2007 19:18:42 GMT`). Printable ASCII only: Foundation's
    /// DateFormatter stops the process (a fatal error, not nil) on a digit followed by a
    /// combining mark (`2\u{73E}`), found by fuzzing the import.
    private func date(_ text: String) -> Date? {
        guard text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        return rfc1123.date(from: text)
    }

    /// Why a line is not a paper.
    public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        /// A short reason, the same for every line with the same fault (for counting).
        public var reason: String
        public var description: String { reason }
    }

    public func entry(_ line: some Sequence<UInt8>) throws(Rejection) -> ArxivEntry {
        let record: Record
        do {
            record = try decoder.decode(Record.self, from: Data(line))
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw Rejection(reason: "field \(context.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type")
        } catch {
            throw Rejection(reason: "not a JSON object")
        }
        guard let id = record.id?.trimmingCharacters(in: .whitespaces), !id.isEmpty else { throw Rejection(reason: "no id") }
        let title = Self.normalise(record.title ?? "")
        guard !title.isEmpty else { throw Rejection(reason: "no title") }
        var categories = record.categories ?? []
        if let primary = record.primaryCategory, !primary.isEmpty {
            categories.removeAll { $0 == primary }
            categories.insert(primary, at: 0)
        }
        guard let primary = categories.first else { throw Rejection(reason: "no categories") }

        var version = 1
        let published: Date, updated: Date
        if let versions = record.versions, !versions.isEmpty {
            guard let first = date(versions[0].created), let last = date(versions[versions.count - 1].created) else {
                throw Rejection(reason: "unreadable date in versions")
            }
            (published, updated) = (first, last)
            version = Int(versions[versions.count - 1].version.drop { $0 == "v" }) ?? versions.count
        } else if let day = record.date ?? record.updateDate {
            guard let date = ArxivDay.date(day) else { throw Rejection(reason: "unreadable date") }
            (published, updated) = (date, date)
        } else {
            throw Rejection(reason: "no date (date, versions or update_date)")
        }
        let authors = (record.authorsParsed ?? []).compactMap { parts -> ArxivEntry.Author? in
            // [keyname, forenames, suffix]: "Forenames Keyname Suffix".
            let ordered = parts.count >= 2 ? [parts[1], parts[0]] + parts.dropFirst(2) : parts
            let name = Self.normalise(ordered.filter { !$0.isEmpty }.joined(separator: " "))
            return name.isEmpty ? nil : ArxivEntry.Author(name: name)
        }
        func optional(_ text: String?) -> String? {
            text.map(Self.normalise).flatMap { $0.isEmpty ? nil : $0 }
        }
        return ArxivEntry(
            id: id, version: version, title: title, summary: Self.normalise(record.abstract ?? ""), authors: authors,
            primaryCategory: primary, categories: categories, published: published, updated: updated,
            doi: optional(record.doi), comment: optional(record.comments), journalRef: optional(record.journalRef),
            links: [
                ArxivEntry.Link(href: "https://arxiv.org/abs/\(id)v\(version)", rel: "alternate", type: "text/html"),
                ArxivEntry.Link(href: "https://arxiv.org/pdf/\(id)v\(version)", rel: "related", type: "application/pdf", title: "pdf"),
            ])
    }

    /// The fields of both layouts; each optional, so that a missing one is named, not a decoding failure.
    private struct Record: Decodable {
        struct Version: Decodable {
            var version: String
            var created: String
        }

        var id: String?
        var title: String?
        var abstract: String?
        var primaryCategory: String?
        var categories: [String]?
        var date: String?
        var updateDate: String?
        var versions: [Version]?
        var authorsParsed: [[String]]?
        var doi: String?
        var comments: String?
        var journalRef: String?

        enum CodingKeys: String, CodingKey {
            case id, title, abstract, primaryCategory = "primary_category", categories, date, updateDate = "update_date", versions,
                 authorsParsed = "authors_parsed", doi, comments, journalRef = "journal-ref"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(String.self, forKey: .id)
            title = try container.decodeIfPresent(String.self, forKey: .title)
            abstract = try container.decodeIfPresent(String.self, forKey: .abstract)
            primaryCategory = try container.decodeIfPresent(String.self, forKey: .primaryCategory)
            // An array (the corpus) or one space-separated string (the snapshot).
            if let list = try? container.decodeIfPresent([String].self, forKey: .categories) {
                categories = list
            } else {
                categories = try container.decodeIfPresent(String.self, forKey: .categories)?.split(separator: " ").map(String.init)
            }
            date = try container.decodeIfPresent(String.self, forKey: .date)
            updateDate = try container.decodeIfPresent(String.self, forKey: .updateDate)
            versions = try container.decodeIfPresent([Version].self, forKey: .versions)
            authorsParsed = try container.decodeIfPresent([[String]].self, forKey: .authorsParsed)
            doi = try container.decodeIfPresent(String.self, forKey: .doi)
            comments = try container.decodeIfPresent(String.self, forKey: .comments)
            journalRef = try container.decodeIfPresent(String.self, forKey: .journalRef)
        }
    }

    static func normalise(_ text: String) -> String {
        text.collapsingWhitespace
    }
}
