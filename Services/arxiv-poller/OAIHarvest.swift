import Arxiv
import Contracts
import Foundation
import HTTPClient
import Logging
import OAIPMH
import Streams

/// Harvests arXiv over OAI-PMH (`ListRecords`, `metadataPrefix=arXiv`), which arXiv asks bulk
/// harvesters to use instead of the search API: page after page by resumption token until an
/// empty one, each record stored (deduplicated by id and version) and announced on
/// `arxiv.articles` like an API entry. Requests share the API's slot (one at a time across
/// replicas, spaced); a 503 with `Retry-After` (arXiv's flow control) is waited out by the
/// HTTP client. An interrupted harvest starts again from its first page: tokens expire, and
/// what was stored is known.
struct OAIHarvest: Sendable {
    enum Source: Sendable {
        case repository(base: String, client: HTTPClient, slot: APISlot)
        /// A `file://` directory of recorded `ListRecords` pages, read in name order.
        case recorded(directory: String)
    }

    /// `from`/`until` select by the record's datestamp (its last change), as OAI-PMH defines.
    struct Request: Sendable, Equatable {
        var from: Date?
        var until: Date?
        var set: String?

        var key: String {
            let day = Date.VerbatimFormatStyle(
                format: "\(year: .padded(4))-\(month: .twoDigits)-\(day: .twoDigits)", timeZone: .gmt, calendar: Calendar(identifier: .gregorian))
            return "oai:\(set ?? "all"):\(from.map { $0.formatted(day) } ?? "")..\(until.map { $0.formatted(day) } ?? "")"
        }

        /// The first page's query; later pages carry only the token.
        func query(base: String) -> String {
            let day = Date.VerbatimFormatStyle(
                format: "\(year: .padded(4))-\(month: .twoDigits)-\(day: .twoDigits)", timeZone: .gmt, calendar: Calendar(identifier: .gregorian))
            var url = base + "?verb=ListRecords&metadataPrefix=arXiv"
            if let from { url += "&from=" + from.formatted(day) }
            if let until { url += "&until=" + until.formatted(day) }
            if let set { url += "&set=" + ArxivQuery.encode(set) }
            return url
        }
    }

    struct Report: Sendable, Equatable, Codable {
        var pages = 0
        var records = 0
        var deleted = 0
        /// Records without something every record has (logged with the reason, skipped).
        var rejected = 0
        var newArticles = 0
        var newVersions = 0
        var known = 0
        var completeListSize: Int?
    }

    let source: Source
    let intake: ArticleIntake
    let logger: Logger

    init(base: String, client: HTTPClient, slot: APISlot, store: ArticleStore, producer: StreamProducer, logger: Logger) {
        source = base.hasPrefix("file://")
            ? .recorded(directory: String(base.dropFirst("file://".count))) : .repository(base: base, client: client, slot: slot)
        (intake, self.logger) = (ArticleIntake(store: store, producer: producer), logger)
    }

    func run(_ request: Request, trace: String) async throws -> Report {
        var report = Report()
        var token: String? = nil
        repeat {
            let page: OAIPage
            do {
                guard let next = try await self.page(request, token: token, index: report.pages) else { break }
                page = next
            } catch let error as OAIError where error.isEmptyList {
                logger.info("oai harvest matched no records", metadata: ["query": "\(request.key)", "reason": "\(error.reason)"])
                break
            }
            report.pages += 1
            report.records += page.entries.count
            report.deleted += page.deleted
            report.rejected += page.rejected.count
            for reason in page.rejected {
                logger.error("rejected oai record", metadata: ["query": "\(request.key)", "page": "\(report.pages)", "reason": "\(reason)"])
            }
            report.completeListSize = page.completeListSize ?? report.completeListSize
            let counts = try await intake.take(page.entries, source: request.key, trace: trace)
            report.newArticles += counts.newArticles
            report.newVersions += counts.newVersions
            report.known += counts.known
            logger.info("oai page", metadata: [
                "query": "\(request.key)", "page": "\(report.pages)", "records": "\(page.entries.count)",
                "harvested": "\((page.cursor ?? report.records - page.entries.count) + page.entries.count)",
                "complete_list_size": "\(page.completeListSize.map(String.init) ?? "unknown")",
                "new": "\(report.newArticles + report.newVersions)",
            ])
            token = page.hasMore ? page.resumptionToken : nil
        } while token != nil || source.isRecorded
        logger.info("oai harvest finished", metadata: [
            "query": "\(request.key)", "pages": "\(report.pages)", "records": "\(report.records)", "deleted": "\(report.deleted)", "rejected": "\(report.rejected)",
            "new_articles": "\(report.newArticles)", "new_versions": "\(report.newVersions)", "known": "\(report.known)",
        ])
        return report
    }

    /// The next page: the first with the request's query, the others by token; nil past the end of a recorded directory.
    private func page(_ request: Request, token: String?, index: Int) async throws -> OAIPage? {
        switch source {
        case let .repository(base, client, slot):
            let url = token.map { base + "?verb=ListRecords&resumptionToken=" + ArxivQuery.encode($0) } ?? request.query(base: base)
            let response = try await slot.withSlot { try await client.send(HTTPClientRequest(url: url, timeout: .seconds(120))) }
            guard response.isSuccess else { throw HTTPClientError.status(url: url, status: response.status, body: response.text) }
            return try OAIParser.parse(Data(response.body), source: url)
        case let .recorded(directory):
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".xml") }.sorted()
            guard index < files.count else { return nil }
            let path = directory + "/" + files[index]
            return try OAIParser.parse(try Data(contentsOf: URL(fileURLWithPath: path)), source: path)
        }
    }
}

extension OAIHarvest.Source {
    var isRecorded: Bool {
        if case .recorded = self { return true }
        return false
    }
}
