import Foundation

/// The API query the poller asks: its categories, newest first by last update, or a backfill
/// of a submission-date range oldest first.
struct ArxivQuery: Sendable, Equatable {
    var categories: [String]
    /// Backfill range (days, inclusive); nil: the regular poll.
    var submitted: ClosedRange<Date>?

    /// `cat:astro-ph.SR OR cat:cs.LG`, and the date range when backfilling.
    var searchQuery: String {
        let categories = self.categories.map { "cat:\($0)" }.joined(separator: " OR ")
        guard let submitted else { return categories }
        let format = Date.VerbatimFormatStyle(
            format: "\(year: .padded(4))\(month: .twoDigits)\(day: .twoDigits)", timeZone: .gmt, calendar: Calendar(identifier: .gregorian))
        let from = submitted.lowerBound.formatted(format) + "0000", until = submitted.upperBound.formatted(format) + "2359"
        return "(\(categories)) AND submittedDate:[\(from) TO \(until)]"
    }

    /// A name for logs, the watermark table and messages.
    var key: String { submitted == nil ? "poll:" + categories.joined(separator: ",") : "backfill:" + searchQuery }

    /// The URL of one page: `start`, `max_results`, sorted as the poll or backfill needs.
    func url(base: String, start: Int, pageSize: Int) -> String {
        let sort = submitted == nil ? "sortBy=lastUpdatedDate&sortOrder=descending" : "sortBy=submittedDate&sortOrder=ascending"
        return "\(base)?search_query=\(Self.encode(searchQuery))&\(sort)&start=\(start)&max_results=\(pageSize)"
    }

    /// Query-string encoding as arXiv documents it: spaces as `+`, reserved characters escaped.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed.union(.init(charactersIn: " ")))!
            .replacingOccurrences(of: " ", with: "+")
    }
}
