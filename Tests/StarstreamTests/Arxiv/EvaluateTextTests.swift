import Arxiv
import Foundation
import Testing

@Suite("trainer evaluate-text on JSON-lines papers: the corpus's layout, a train file and a test file")
struct EvaluateTextTests {
    /// Real papers of two astrophysics categories and hep-th from the shared corpus, split by date.
    static func papers() throws -> (older: [String], newer: [String]) {
        var lines: [(date: String, line: String)] = []
        let reader = ArxivMetadataReader()
        try ArxivMetadataFile.forEachLine(path: Fixtures.arxivCorpus.path) { _, bytes in
            guard let entry = try? reader.entry(bytes), ["astro-ph.SR", "astro-ph.CO", "hep-th"].contains(entry.primaryCategory) else { return }
            lines.append((entry.published.formatted(.iso8601), String(decoding: bytes, as: UTF8.self)))
        }
        lines.sort { $0.date < $1.date }
        let cut = lines.count * 4 / 5
        return (lines[..<cut].map(\.line), lines[cut...].map(\.line))
    }

    @Test("--train FILE --test FILE fits on one and measures on the other; a bad line is counted, not fatal")
    func trainAndTestFiles() async throws {
        let (older, newer) = try Self.papers()
        #expect(older.count > 1000 && newer.count > 200)
        let directory = try makeTemporaryDirectory("evaluate-text")
        try (older + ["not json"]).joined(separator: "\n").write(toFile: directory + "/older.jsonl", atomically: true, encoding: .utf8)
        try newer.joined(separator: "\n").write(toFile: directory + "/newer.jsonl", atomically: true, encoding: .utf8)
        let run = try ServiceProcess("trainer", arguments: [
            "evaluate-text", "--train", directory + "/older.jsonl", "--test", directory + "/newer.jsonl", "--logistic-regression",
        ])
        #expect(await run.waitForExit(timeout: .seconds(300)) == 0, "\(run.errorText)")
        let output = run.lines.joined(separator: "\n")
        #expect(output.contains("read \(older.count) papers from \(directory)/older.jsonl and \(newer.count) to test from \(directory)/newer.jsonl"), "\(output)")
        #expect(output.contains("1 lines rejected"), "\(output)")
        #expect(output.contains("arxiv-category: \(older.count) train (older) / \(newer.count) held out (newer), 3 classes"), "\(output)")
        // Three categories of real abstracts are told apart far better than chance (1/3), by the
        // machines and by logistic regression (fitted only when asked for).
        for model in ["linear SVM         ", "logistic regression"] {
            let accuracy = try #require(output.split(separator: "\n").first { $0.contains(model + ": accuracy") }
                .flatMap { Double($0.split(separator: " ").drop { $0 != "accuracy" }.dropFirst().first ?? "") }, "\(model): \(output)")
            #expect(accuracy > 0.7, "\(model): \(output)")
        }
        // Per-class measures of the largest classes, and the archives' confusion (astro-ph and hep-th).
        #expect(output.contains("the 20 largest classes held out"), "\(output)")
        let astroSR = try #require(output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("astro-ph.SR ") })
        #expect(astroSR.split(separator: " ").count == 5, "\(astroSR)")
        #expect(output.contains("confusion between archives"), "\(output)")
        let astroRow = try #require(output.split(separator: "\n").last { $0.trimmingCharacters(in: .whitespaces).hasPrefix("astro-ph ") })
        let counts = astroRow.split(separator: " ").dropFirst().compactMap { Int($0) }
        #expect(counts.count == 2 && counts.reduce(0, +) == newer.filter { (try? ArxivMetadataReader().entry(Array($0.utf8)))?.primaryCategory.hasPrefix("astro-ph.") == true }.count, "\(astroRow)")
    }

    @Test("""
        papers of retired archives train the categories that subsumed them (alg-geom → math.AG, solv-int → nlin.SI), bare \
        astro-ph papers train their archive but no category, and newer papers are scored on today's names
        """)
    func retiredCategoriesTrainTheirSuccessors() async throws {
        var older: [String] = [], newer: [String] = []
        var seen: [String: Int] = [:]
        let reader = ArxivMetadataReader()
        try ArxivMetadataFile.forEachLine(path: Fixtures.arxivCorpus.path) { _, bytes in
            guard let entry = try? reader.entry(bytes) else { return }
            let category = entry.primaryCategory, line = String(decoding: bytes, as: UTF8.self)
            let year = Calendar(identifier: .gregorian).component(.year, from: entry.published)
            // At most 150 of each, from the shared corpus's real papers.
            guard seen[category, default: 0] < 150 else { return }
            switch category {
            case "alg-geom", "solv-int", "astro-ph": older.append(line)
            case "math.AG", "nlin.SI", "astro-ph.SR":
                guard year >= 2010 else { return }
                newer.append(line)
            default: return
            }
            seen[category, default: 0] += 1
        }
        #expect(older.count == 450 && newer.count == 450, "\(seen)")
        let directory = try makeTemporaryDirectory("evaluate-text-taxonomy")
        try older.joined(separator: "\n").write(toFile: directory + "/older.jsonl", atomically: true, encoding: .utf8)
        try newer.joined(separator: "\n").write(toFile: directory + "/newer.jsonl", atomically: true, encoding: .utf8)
        let run = try ServiceProcess("trainer", arguments: ["evaluate-text", "--train", directory + "/older.jsonl", "--test", directory + "/newer.jsonl"])
        #expect(await run.waitForExit(timeout: .seconds(300)) == 0, "\(run.errorText)")
        let output = run.lines.joined(separator: "\n")
        // Archives: math (alg-geom), nlin (solv-int) and astro-ph (bare) — every paper on both sides.
        #expect(output.contains("arxiv-archive: 450 train (older) / 450 held out (newer), 3 classes"), "\(output)")
        // Categories: the bare astro-ph papers teach none, and astro-ph.SR is a class the training
        // side does not have, so its newer papers are not scored.
        #expect(output.contains("arxiv-category: 300 train (older) / 300 held out (newer), 2 classes, vocabulary"), "\(output)")
        #expect(output.contains("150 held-out papers of unseen classes"), "\(output)")
        // Trained only on papers of the 1990s, the successors' papers of the 2010s and 2020s are
        // told apart: far above the 0.5 of guessing.
        let accuracy = try #require(output.split(separator: "\n").last { $0.contains("linear SVM         : accuracy") }
            .flatMap { Double($0.split(separator: " ").drop { $0 != "accuracy" }.dropFirst().first ?? "") }, "\(output)")
        #expect(accuracy > 0.8, "\(output)")
    }

    @Test("--feeds and --train together, or --test alone, are refused")
    func arguments() async throws {
        let both = try ServiceProcess("trainer", arguments: ["evaluate-text", "--feeds", "/tmp", "--train", "x.jsonl"])
        #expect(await both.waitForExit() != 0)
        #expect(both.errorText.contains("give --feeds DIR or --train FILE, not both"), "\(both.errorText)")
    }
}
