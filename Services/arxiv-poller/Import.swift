import ArgumentParser
import Arxiv
import Contracts
import Foundation
import Postgres
import Redis
import ServiceKit
import Streams

/// `arxiv-poller import FILE.jsonl[.gz]`: papers from a metadata file (Starstream's corpus
/// layout or the public arXiv snapshot's) into the poller's store, each new version announced
/// on `arxiv.articles` as a polled one is. Rerunning it stores and announces nothing new.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import papers from a JSON-lines metadata file (corpus or arXiv snapshot layout, gzip or not).",
        discussion: "Uses the service's DATABASE_URL and REDIS_URL. Prints progress, then the counts and each reason lines were rejected for.")

    @Argument(help: "A .jsonl or .jsonl.gz file.") var file: String
    @Option(help: "Stop after this many papers (a subset of a large file).") var limit: Int?
    @Option(help: "Only papers whose primary category starts with one of these (comma-separated: astro-ph,cs.LG).") var categories: String?
    @Option(help: "Keep one line in this many (the 1st, the K+1st, …): a subset spread over the whole file.") var every: Int = 1
    @Option(help: "Only papers first submitted on or after this day (YYYY-MM-DD, UTC).") var publishedFrom: String?
    @Option(help: "Only papers first submitted before this day (YYYY-MM-DD, UTC): with --published-from, the older and newer papers of a drift run.")
    var publishedBefore: String?

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if every < 1 { throw ValidationError("--every must be at least 1") }
        for (name, value) in [("--published-from", publishedFrom), ("--published-before", publishedBefore)] {
            if let value, Self.day(value) == nil { throw ValidationError("\(name) \(value): not a day (YYYY-MM-DD)") }
        }
    }

    /// Midnight UTC of a `YYYY-MM-DD` day.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    func run() async throws {
        let configuration = try ServiceConfiguration(service: "arxiv-poller")
        let pool = PostgresPool(url: configuration.databaseURL, size: 1)
        _ = try await ArticleStore.migrator.migrate(pool)
        let store = ArticleStore(pool: pool)
        let redis = try await RedisConnection.connect(RedisConfiguration(url: configuration.redisURL))
        let producer = StreamProducer(redis: redis, producer: "arxiv-poller-import")
        let prefixes = categories.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let source = "import:" + URL(fileURLWithPath: file).lastPathComponent
        let trace = Envelope.newTrace()
        let from = publishedFrom.flatMap(Self.day), before = publishedBefore.flatMap(Self.day)

        // Read, decoded and stored 500 papers at a time: a file of millions never sits in memory.
        var report = ImportReport()
        var chunk: [ArxivEntry] = []
        let reader = ArxivMetadataReader()
        let intake = ArticleIntake(store: store, producer: producer)
        let started = Date()
        var progress = Progress(started: started)
        var lines = try ArxivMetadataFile.LineReader(path: file)
        while let next = try lines.next() {
            if let limit, report.accepted >= limit { break }
            guard (next.number - 1) % every == 0 else { continue }
            report.lines += 1
            switch Self.decode(next.line, reader: reader) {
            case let .failure(rejection): report.reject(line: next.number, reason: rejection.reason)
            case let .success(entry):
                let outside = prefixes.map { prefixes in !prefixes.contains { entry.primaryCategory.hasPrefix($0) } } ?? false
                    || from.map { entry.published < $0 } ?? false || before.map { entry.published >= $0 } ?? false
                if outside {
                    report.skipped += 1
                } else {
                    report.accepted += 1
                    chunk.append(entry)
                }
            }
            if chunk.count == 500 {
                try await Self.take(chunk, intake: intake, source: source, trace: trace, report: &report, progress: &progress)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try await Self.take(chunk, intake: intake, source: source, trace: trace, report: &report, progress: &progress)
        let seconds = Date().timeIntervalSince(started)
        print("import: \(file): \(report.lines) lines, \(report.accepted) papers, \(report.stored) new, \(report.known) already stored, "
            + "\(report.skipped) outside --categories or the dates, \(report.rejectedCount) rejected, in \(String(format: "%.1f", seconds)) s")
        for (reason, lines) in report.rejected.sorted(by: { $0.value.count > $1.value.count }) {
            let shown = lines.prefix(5).map(String.init).joined(separator: ", ")
            print("import: rejected \(lines.count) line\(lines.count == 1 ? "" : "s") (\(reason)): line \(shown)\(lines.count > 5 ? ", …" : "")")
        }
    }
}

extension Import {
    /// When progress was last printed.
    struct Progress {
        var started: Date
        var last: Date

        init(started: Date) { (self.started, last) = (started, started) }
    }

    static func decode(_ line: [UInt8], reader: ArxivMetadataReader) -> Result<ArxivEntry, ArxivMetadataReader.Rejection> {
        Result { () throws(ArxivMetadataReader.Rejection) in try reader.entry(line) }
    }

    static func take(
        _ papers: [ArxivEntry], intake: ArticleIntake, source: String, trace: String, report: inout ImportReport, progress: inout Progress
    ) async throws {
        let counts = try await intake.take(papers, source: source, trace: trace)
        report.stored += counts.newArticles + counts.newVersions
        report.known += counts.known
        if Date().timeIntervalSince(progress.last) >= 5 {
            progress.last = Date()
            print("import: \(report.lines) lines, \(report.stored) new, \(report.known) known, \(report.rejectedCount) rejected (\(Int(progress.last.timeIntervalSince(progress.started))) s)")
        }
    }
}

/// What an import did, line by line.
struct ImportReport {
    var lines = 0
    var accepted = 0
    var skipped = 0
    var stored = 0
    var known = 0
    /// Line numbers by reason.
    var rejected: [String: [Int]] = [:]

    var rejectedCount: Int { rejected.values.map(\.count).reduce(0, +) }

    mutating func reject(line: Int, reason: String) {
        rejected[reason, default: []].append(line)
    }
}
