import Arxiv
import Contracts
import Foundation
import Logging
import Streams

/// Walks a query page by page, stores every version it has not seen, announces each on
/// `arxiv.articles`, and stops at the watermark (the regular poll) or the end (a backfill).
struct Poller: Sendable {
    let source: FeedSource
    let store: ArticleStore
    let producer: StreamProducer
    /// ≤ 2000: arXiv's largest page.
    let pageSize: Int
    /// ≤ 30000: arXiv's deepest result for one query.
    let maxResults: Int
    let logger: Logger

    struct Report: Sendable, Equatable, Codable {
        var pages = 0
        var entries = 0
        var newArticles = 0
        var newVersions = 0
        var known = 0
        var totalResults = 0
        var stoppedAtWatermark = false
        /// Recorded files that were not usable Atom (logged, skipped).
        var rejectedPages = 0
    }

    func run(_ query: ArxivQuery, trace: String) async throws -> Report {
        let regular = query.submitted == nil
        let watermark = regular ? try await store.watermark(query.key) : nil
        var report = Report()
        var newest: Date? = nil
        var start = 0
        walk: while start < maxResults {
            let page: ArxivFeed
            do {
                guard let next = try await source.page(query, start: start, pageSize: min(pageSize, maxResults - start), index: report.pages + report.rejectedPages) else { break }
                page = next
            } catch let error as ArxivFeedError where source.isRecorded {
                // A bad recorded file is one rejected page; the directory's other files still count.
                report.rejectedPages += 1
                logger.error("rejected arxiv page", metadata: ["error": "\(error)"])
                continue
            }
            report.pages += 1
            report.totalResults = page.totalResults
            for entry in page.entries {
                report.entries += 1
                newest = max(newest ?? entry.updated, entry.updated)
                // Newest first: an entry older than the watermark means the rest were walked before.
                if let watermark, entry.updated < watermark {
                    report.stoppedAtWatermark = true
                    break walk
                }
                switch try await store.save(entry) {
                case .known: report.known += 1
                case .newArticle:
                    report.newArticles += 1
                    try await producer.publish(ArxivArticle(entry: entry, isNewVersion: false, source: query.key), trace: trace)
                case .newVersion:
                    report.newVersions += 1
                    try await producer.publish(ArxivArticle(entry: entry, isNewVersion: true, source: query.key), trace: trace)
                }
            }
            logger.info("arxiv page", metadata: [
                "query": "\(query.key)", "start": "\(start)", "entries": "\(page.entries.count)", "total": "\(page.totalResults)",
                "new": "\(report.newArticles + report.newVersions)",
            ])
            start += page.entries.count
            // A recorded directory is read to its last file; the API until its total or an empty page.
            if !source.isRecorded, page.entries.isEmpty || start >= page.totalResults { break }
        }
        // Only a finished walk moves the watermark: an interrupted one is walked again (and
        // deduplicated by id + version).
        if regular, let newest { try await store.advanceWatermark(query.key, to: newest) }
        logger.info("arxiv poll finished", metadata: [
            "query": "\(query.key)", "pages": "\(report.pages)", "new_articles": "\(report.newArticles)",
            "new_versions": "\(report.newVersions)", "known": "\(report.known)", "at_watermark": "\(report.stoppedAtWatermark)",
            "rejected_pages": "\(report.rejectedPages)",
        ])
        return report
    }
}
