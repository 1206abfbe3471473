import ArgumentParser
import Foundation
import Learning

/// `arxiv-sim --count 10000 --seed 1 --out DIR`: simulated arXiv papers as API response pages
/// (`page-0000.xml` …, newest first), deterministic with a seed, for offline runs and benchmarks.
@main
struct ArxivSim: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "arxiv-sim", abstract: "Write simulated arXiv API responses.")

    @Option(help: "Papers to simulate (some get a second version).") var count = 2000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Entries per page file.") var pageSize = 200
    @Option(help: "Output directory.") var out: String
    @Option(help: "Days the papers are spread over, ending today.") var days = 720.0

    func run() throws {
        var generator = AbstractGenerator(random: SeededGenerator(seed: seed))
        let end = Date(timeIntervalSince1970: 1_790_000_000)  // fixed, so the same seed gives the same files
        let start = end.addingTimeInterval(-days * 86_400)
        var papers: [AbstractGenerator.Paper] = []
        for number in 0..<count { papers += generator.paper(number: number, of: count, start: start, days: days) }
        papers.sort { $0.updated > $1.updated || ($0.updated == $1.updated && $0.id < $1.id) }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (index, first) in stride(from: 0, to: papers.count, by: pageSize).enumerated() {
            let page = Array(papers[first..<min(first + pageSize, papers.count)])
            let path = out + String(format: "/page-%04d.xml", index)
            try AtomWriter.page(page, start: first, total: papers.count).write(toFile: path, atomically: true, encoding: .utf8)
        }
        print("arxiv-sim: \(papers.count) entries (\(count) papers) in \(out)")
    }
}
