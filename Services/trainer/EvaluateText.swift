import ArgumentParser
import Arxiv
import AtomFeed
import Contracts
import Foundation
import Learning

/// `trainer evaluate-text --feeds DIR` or `--train FILE [--test FILE]`: trains the arXiv models
/// on recorded or simulated API responses, or on JSON-lines papers (the shared corpus, the arXiv
/// metadata snapshot), with the service's code; prints both models' held-out measures and the
/// time, and can export the split for an outside comparison (`--csv`). Without `--test`, the
/// newest fifth of the papers (by first submission) is held out.
struct EvaluateText: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-text", abstract: "Train and evaluate the arXiv text models on Atom files or JSON-lines papers.")

    @Option(help: "Directory of arXiv API responses (.xml).") var feeds: String?
    @Option(help: "JSON-lines papers (.jsonl or .jsonl.gz) to train on; repeatable.") var train: [String] = []
    @Option(help: "JSON-lines papers to measure on; repeatable. Without it the newest 20% of --train are held out.") var test: [String] = []
    @Option(help: "Write split, recorded and current archive and category, text rows here for a side-by-side comparison.") var csv: String?
    @Option(help: "Vocabulary cap (the most frequent grams); 0: every gram in two or more training papers.") var maxFeatures: Int = TextTrainer().maxFeatures ?? 0
    @Flag(inversion: .prefixedNo, help: "Make the title's grams features apart from the abstract's (as the service does).") var separateTitle = TextTrainer().separateTitle
    @Option(help: "The linear SVM's C.") var svmCost: Double = TextTrainer().svm.cost
    @Option(help: "The linear SVM's stopping tolerance (LIBLINEAR's ε).") var svmTolerance: Double = TextTrainer().svm.tolerance
    @Option(help: "The most epochs of the linear SVM's solver.") var svmMaxEpochs: Int = TextTrainer().svm.maxEpochs
    @Option(help: "Kinds whose SVMs weight examples by the inverse of their class's size (comma-separated: archive,category; none).")
    var balancedKinds: String = Self.names(TextTrainer().balancedKinds)
    @Option(help: "The newest share of the training papers that fits the SVMs' probability scale and decision offsets.")
    var calibrationFraction: Double = 0.1
    @Option(help: "Decision offsets averaged over this many bootstrap resamples of the calibration papers.")
    var offsetBags: Int = TextTrainer().decisionOffsets?.bags ?? 1
    @Option(help: "The least gain in macro-F1 (on the calibration papers) for which a decision offset moves.")
    var offsetMinimumGain: Double = DecisionOffsets.Parameters().minimumGain
    @Option(help: "The levels to train and measure (comma-separated: archive,category).") var kinds: String = "archive,category"
    @Flag(help: "Also fit and measure logistic regression.") var logisticRegression = false
    @Flag(help: "Leave the SVMs' per-class decision offsets out (they are fitted for macro-F1 on the newest training papers).") var noDecisionOffsets = false
    @Flag(inversion: .prefixedNo, help: "Leave a paper out of the machines of the classes it is cross-listed to (instead of a negative of theirs).")
    var leaveOutCrossLists = TextTrainer().leavesOutCrossLists
    @Option(help: "Years over which a training paper's weight halves, back from the newest; 0: equal weights.")
    var recencyHalfLife: Double = TextTrainer().recencyHalfLife ?? 0

    /// `archive`, `category` (or the kinds' full names) → kinds; `none` → none.
    static func kinds(_ text: String) throws -> Set<ModelKind> {
        var kinds: Set<ModelKind> = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where name != "none" {
            guard let kind = ModelKind(rawValue: name) ?? ModelKind(rawValue: "arxiv-" + name), ModelKind.arxiv.contains(kind) else {
                throw ValidationError("\(name): not an arXiv level (archive, category)")
            }
            kinds.insert(kind)
        }
        return kinds
    }

    /// The inverse of `kinds(_:)`.
    static func names(_ kinds: Set<ModelKind>) -> String {
        kinds.isEmpty ? "none" : kinds.map(\.rawValue).sorted().joined(separator: ",")
    }

    func validate() throws {
        _ = try Self.kinds(balancedKinds)
        if try Self.kinds(kinds).isEmpty { throw ValidationError("--kinds names no level") }
        guard (feeds == nil) != train.isEmpty else { throw ValidationError("give --feeds DIR or --train FILE, not both") }
        if !test.isEmpty, train.isEmpty { throw ValidationError("--test goes with --train") }
    }

    func run() async throws {
        var latest: [String: ArxivEntry] = [:]
        var heldOut: [String: ArxivEntry]? = test.isEmpty ? nil : [:]
        var rejected = 0
        let started = ContinuousClock.now
        if let feeds {
            for name in try FileManager.default.contentsOfDirectory(atPath: feeds).filter({ $0.hasSuffix(".xml") }).sorted() {
                do {
                    for entry in try AtomParser.parse(try Data(contentsOf: URL(fileURLWithPath: feeds + "/" + name)), source: name).entries
                    where entry.version >= (latest[entry.id]?.version ?? 0) {
                        latest[entry.id] = entry
                    }
                } catch {
                    rejected += 1
                    FileHandle.standardError.write(Data("trainer: \(error)\n".utf8))
                }
            }
        }
        let reader = ArxivMetadataReader()
        func read(_ paths: [String], into papers: inout [String: ArxivEntry]) throws {
            for path in paths {
                try ArxivMetadataFile.forEachLine(path: path) { _, line in
                    guard let entry = try? reader.entry(line) else {
                        rejected += 1
                        return
                    }
                    if entry.version >= (papers[entry.id]?.version ?? 0) { papers[entry.id] = entry }
                }
            }
        }
        try read(train, into: &latest)
        if heldOut != nil {
            var papers: [String: ArxivEntry] = [:]
            try read(test, into: &papers)
            // A paper on both sides is measured, not learned.
            for id in papers.keys { latest[id] = nil }
            heldOut = papers
        }
        let parsed = ContinuousClock.now - started
        let examples = latest.values.map(LabelledText.init)
        let testExamples = heldOut.map { $0.values.map(LabelledText.init) }
        let source = feeds ?? train.joined(separator: ", ")
        print("read \(examples.count) papers from \(source)\(testExamples.map { " and \($0.count) to test from \(test.joined(separator: ", "))" } ?? "") in "
            + String(format: "%.2f s", parsed.inSeconds) + (rejected > 0 ? ", \(rejected) \(feeds == nil ? "lines" : "files") rejected" : ""))
        let summarizing = ContinuousClock.now
        let summaries = latest.values.map { TextRank.summarize($0.summary, sentences: 2) }
        let summarized = (ContinuousClock.now - summarizing).inSeconds
        print(String(format: "TextRank summaries: %.0f abstracts/s (one thread, %d abstracts)", Double(summaries.count) / max(summarized, 1e-9), summaries.count))
        var trainer = TextTrainer()
        trainer.maxFeatures = maxFeatures > 0 ? maxFeatures : nil
        trainer.separateTitle = separateTitle
        trainer.svm.cost = svmCost
        trainer.svm.tolerance = svmTolerance
        trainer.svm.maxEpochs = svmMaxEpochs
        trainer.balancedKinds = try Self.kinds(balancedKinds)
        trainer.fitsLogisticRegression = logisticRegression
        trainer.calibrationFraction = calibrationFraction
        trainer.leavesOutCrossLists = leaveOutCrossLists
        trainer.recencyHalfLife = recencyHalfLife > 0 ? recencyHalfLife : nil
        trainer.decisionOffsets?.minimumGain = offsetMinimumGain
        trainer.decisionOffsets?.bags = offsetBags
        if noDecisionOffsets { trainer.decisionOffsets = nil }
        // Every paper by id, for the timed predictions and the export.
        let texts = Dictionary((examples + (testExamples ?? [])).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var exportedSplit: [String: String] = [:], exportedOrder: [String] = []
        let levels = try Self.kinds(kinds)
        // The levels trained together, as a training session does: one vocabulary for both.
        let sessionStarted = ContinuousClock.now
        let outcomes = trainer.train(ModelKind.arxiv.filter { levels.contains($0) }, on: examples, heldOut: testExamples)
        print(String(format: "trained %d levels in %.2f s (one TF-IDF fit for all)", outcomes.count, (ContinuousClock.now - sessionStarted).inSeconds))
        for (kind, outcome) in outcomes {
            let result = try outcome.get()
            print(result.evaluation.summary)
            print("  the 20 largest classes held out (\(result.evaluation.chosen)):")
            print(EvaluationTables.largestClasses(result.evaluation.chosenReport, top: 20))
            if kind == .arxivArchive {
                print("  confusion between archives (\(result.evaluation.chosen), held-out papers):")
                print(EvaluationTables.confusion(result.evaluation.chosenReport))
            }
            let rowsStarted = ContinuousClock.now
            let predicted = result.validation.compactMap { texts[$0] }.map { result.model.top(3, $0.document) }
            let seconds = (ContinuousClock.now - rowsStarted).inSeconds
            print(String(format: "  predictions: %.0f papers/s (top-3, one thread)", Double(predicted.count) / max(seconds, 1e-9)))
            // Every level's papers (a bare legacy paper has an archive but no category), in
            // the split they had: the levels share one time cut.
            for (split, ids) in [("train", result.train), ("validation", result.validation)] {
                for id in ids where exportedSplit[id] == nil {
                    exportedSplit[id] = split
                    exportedOrder.append(id)
                }
            }
        }
        if let csv {
            let exported = exportedOrder.compactMap { id -> String? in
                guard let example = texts[id], let split = exportedSplit[id] else { return nil }
                let text = example.text.replacingOccurrences(of: "\"", with: "\"\"")
                let current = (ArxivTaxonomy.currentArchive(of: example.primaryCategory), ArxivTaxonomy.current(category: example.primaryCategory) ?? "")
                return "\(split),\(ArxivEntry.archive(of: example.primaryCategory)),\(example.primaryCategory),\(current.0),\(current.1),\"\(text)\""
            }
            try (["split,archive,category,current_archive,current_category,text"] + exported).joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
            print("split written to \(csv)")
        }
    }
}
