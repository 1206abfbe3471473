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

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
        if every < 1 { throw ValidationError("--every must be at least 1") }
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

        // Lines are decoded first (synchronously, a few seconds for the whole corpus), then stored in order.
        var report = ImportReport()
        var entries: [ArxivEntry] = []
        let reader = ArxivMetadataReader()
        let started = Date()
        let limit = self.limit, every = self.every
        try ArxivMetadataFile.forEachLine(path: file) { number, line in
            if let limit, report.accepted >= limit { return }
            guard (number - 1) % every == 0 else { return }
            report.lines += 1
            do {
                let entry = try reader.entry(line)
                if let prefixes, !prefixes.contains(where: { entry.primaryCategory.hasPrefix($0) }) {
                    report.skipped += 1
                    return
                }
                report.accepted += 1
                entries.append(entry)
            } catch let rejection as ArxivMetadataReader.Rejection {
                report.reject(line: number, reason: rejection.reason)
            }
        }
        print("import: \(file): \(entries.count) papers read, \(report.rejectedCount) lines rejected; storing")
        let intake = ArticleIntake(store: store, producer: producer)
        var lastProgress = Date(), done = 0
        for start in stride(from: 0, to: entries.count, by: 500) {
            let chunk = Array(entries[start..<min(start + 500, entries.count)])
            let counts = try await intake.take(chunk, source: source, trace: trace)
            report.stored += counts.newArticles + counts.newVersions
            report.known += counts.known
            done += chunk.count
            if Date().timeIntervalSince(lastProgress) >= 5 {
                lastProgress = Date()
                print("import: \(done) of \(entries.count) papers, \(report.stored) new, \(report.known) known (\(Int(lastProgress.timeIntervalSince(started))) s)")
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("import: \(file): \(report.lines) lines, \(report.accepted) papers, \(report.stored) new, \(report.known) already stored, "
            + "\(report.skipped) outside --categories, \(report.rejectedCount) rejected, in \(String(format: "%.1f", seconds)) s")
        for (reason, lines) in report.rejected.sorted(by: { $0.value.count > $1.value.count }) {
            let shown = lines.prefix(5).map(String.init).joined(separator: ", ")
            print("import: rejected \(lines.count) line\(lines.count == 1 ? "" : "s") (\(reason)): line \(shown)\(lines.count > 5 ? ", …" : "")")
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
