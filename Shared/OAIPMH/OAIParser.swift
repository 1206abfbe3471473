import Arxiv
import Foundation
import XMLScan

/// Parses OAI-PMH 2.0 `ListRecords` responses whose records are in arXiv's own metadata format
/// (`metadataPrefix=arXiv`): `<id>`, `<created>`, `<updated>`, `<authors>` with `<keyname>` and
/// `<forenames>`, `<title>`, `<categories>` (space-separated, the primary first), `<comments>`,
/// `<journal-ref>`, `<doi>`, `<abstract>`. Metadata elements are matched by local name: arXiv
/// declares their namespace on `<arXiv>` and some copies of its responses inherit OAI's.
///
/// That format has no version numbers, only the first submission (`created`) and the latest
/// revision (`updated`) days: a record becomes its newest version as the API would list it, v1
/// when it was never revised and v2 — the least it can be — when it was, dated `updated`.
public enum OAIParser {
    static let oai = "http://www.openarchives.org/OAI/2.0/"

    /// - Parameter source: names the input in errors (a file name or a URL).
    public static func parse(_ data: Data, source: String) throws(OAIError) -> OAIPage {
        var reader = XMLReader(Array(data))
        var collector = RecordCollector(source: source)
        do {
            while let event = try reader.next() {
                switch event {
                case let .start(name, attributes):
                    if reader.depth == 1, name != XMLName(namespace: oai, local: "OAI-PMH") {
                        throw OAIError(source: source, kind: .notOAI, reason: "not an OAI-PMH response (root element <\(name.local)>)")
                    }
                    collector.start(name, attributes)
                case let .end(name): collector.end(name)
                case let .text(text): collector.text += text
                }
            }
        } catch let error as XMLSyntaxError {
            throw OAIError(source: source, kind: .malformed, reason: error.description)
        } catch let error as OAIError {
            throw error
        } catch {
            throw OAIError(source: source, kind: .malformed, reason: "\(error)")
        }
        if let (code, message) = collector.error {
            throw OAIError(source: source, kind: .protocolError(code: code), reason: "OAI-PMH error \(code): \(message)")
        }
        guard collector.sawListRecords else {
            throw OAIError(source: source, kind: .notOAI, reason: "an OAI-PMH response without <ListRecords> or <error>")
        }
        return OAIPage(
            entries: collector.entries, deleted: collector.deleted, rejected: collector.rejected, resumptionToken: collector.token,
            completeListSize: collector.completeListSize, cursor: collector.cursor)
    }
}

/// Collects records from the reader's events.
private struct RecordCollector {
    struct RawRecord {
        var deleted = false
        var id: String?
        var created: String?
        var updated: String?
        var title = ""
        var abstract = ""
        var categories = ""
        var comments: String?
        var journalRef: String?
        var doi: String?
        var authors: [ArxivEntry.Author] = []
    }

    let source: String
    var text = ""
    var sawListRecords = false
    var error: (code: String, message: String)?
    var errorCode: String?
    var token: String?
    var completeListSize: Int?
    var cursor: Int?
    var entries: [ArxivEntry] = []
    var deleted = 0
    var rejected: [String] = []
    var record: RawRecord?
    var inMetadata = false
    var author: (keyname: String, forenames: String, suffix: String, affiliations: [String])?
    var count = 0

    init(source: String) {
        self.source = source
    }

    mutating func start(_ name: XMLName, _ attributes: [XMLAttribute]) {
        text = ""
        if record == nil {
            guard name.namespace == OAIParser.oai else { return }
            switch name.local {
            case "ListRecords": sawListRecords = true
            case "record":
                record = RawRecord()
                count += 1
            case "resumptionToken":
                completeListSize = attributes["completeListSize"].flatMap { Int($0) }
                cursor = attributes["cursor"].flatMap { Int($0) }
            case "error": errorCode = attributes["code"] ?? "unknown"
            default: break
            }
            return
        }
        switch (name.namespace == OAIParser.oai, name.local) {
        case (true, "header"): if attributes["status"] == "deleted" { record?.deleted = true }
        case (true, "metadata"): inMetadata = true
        case (_, "author") where inMetadata: author = ("", "", "", [])
        default: break
        }
    }

    mutating func end(_ name: XMLName) {
        defer { text = "" }
        if record == nil {
            guard name.namespace == OAIParser.oai else { return }
            switch name.local {
            case "resumptionToken": token = text.collapsingWhitespace
            case "error": error = (errorCode ?? "unknown", Self.normalise(text))
            default: break
            }
            return
        }
        if name.namespace == OAIParser.oai, name.local == "record" {
            if let raw = record {
                if raw.deleted {
                    deleted += 1
                } else {
                    switch entry(raw) {
                    case let .success(entry): entries.append(entry)
                    case let .failure(reason): rejected.append(reason.text)
                    }
                }
            }
            record = nil
            return
        }
        if name.namespace == OAIParser.oai, name.local == "metadata" {
            inMetadata = false
            return
        }
        guard inMetadata else { return }
        let value = text.collapsingWhitespace
        if author != nil {
            switch name.local {
            case "keyname": author?.keyname = value
            case "forenames": author?.forenames = value
            case "suffix": author?.suffix = value
            case "affiliation": if !value.isEmpty { author?.affiliations.append(value) }
            case "author":
                if let author {
                    let full = Self.normalise([author.forenames, author.keyname, author.suffix].filter { !$0.isEmpty }.joined(separator: " "))
                    if !full.isEmpty { record?.authors.append(ArxivEntry.Author(name: full, affiliations: author.affiliations)) }
                }
                author = nil
            default: break
            }
            return
        }
        switch name.local {
        case "id": record?.id = value
        case "created": record?.created = value
        case "updated": record?.updated = value
        case "title": record?.title = value
        case "abstract": record?.abstract = value
        case "categories": record?.categories = value
        case "comments": record?.comments = value.isEmpty ? nil : value
        case "journal-ref": record?.journalRef = value.isEmpty ? nil : value
        case "doi": record?.doi = value.isEmpty ? nil : value
        default: break
        }
    }

    struct Rejection: Error { var text: String }

    private func entry(_ raw: RawRecord) -> Result<ArxivEntry, Rejection> {
        func invalid(_ reason: String) -> Result<ArxivEntry, Rejection> {
            .failure(Rejection(text: "record \(count) (\(raw.id ?? "no id")): \(reason)"))
        }
        guard let id = raw.id, !id.isEmpty else { return invalid("missing <id>") }
        guard let created = raw.created.flatMap(ArxivDay.date) else { return invalid("missing or unreadable <created>") }
        var updated: Date? = nil
        if let text = raw.updated {
            guard let day = ArxivDay.date(text) else { return invalid("unreadable <updated> '\(text)'") }
            updated = day
        }
        let title = raw.title
        guard !title.isEmpty else { return invalid("empty <title>") }
        let categories = raw.categories.split(separator: " ").map(String.init)
        guard let primary = categories.first else { return invalid("no <categories>") }
        let revised = updated.map { $0 > created } ?? false
        return .success(ArxivEntry(
            id: id, version: revised ? 2 : 1, title: title, summary: raw.abstract, authors: raw.authors,
            primaryCategory: primary, categories: categories, published: created, updated: revised ? updated! : created,
            doi: raw.doi, comment: raw.comments, journalRef: raw.journalRef,
            links: [
                ArxivEntry.Link(href: "https://arxiv.org/abs/\(id)", rel: "alternate", type: "text/html"),
                ArxivEntry.Link(href: "https://arxiv.org/pdf/\(id)", rel: "related", type: "application/pdf", title: "pdf"),
            ]))
    }

    static func normalise(_ text: String) -> String {
        text.collapsingWhitespace
    }
}
