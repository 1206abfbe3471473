import Contracts
import Foundation
import Learning

/// Grouped k-fold cross-validation of one spectra model: each fold's model is fitted on the
/// other folds, every example is predicted once by the model that did not see its group,
/// and the predictions are scored per source directory (real and simulated apart).
struct CrossValidation: Sendable {
    struct Example: Sendable {
        var spectrum: LabelledSpectrum
        /// Which `--train` directory it came from.
        var source: String
    }

    /// One source's out-of-fold measures.
    struct SourceReport: Codable, Sendable {
        var source: String
        var report: ClassificationReport
        /// MK: the out-of-fold type index against the survey's subtypes.
        var typeIndex: TypeIndexEvaluation?

        enum CodingKeys: String, CodingKey { case source, report, typeIndex = "type_index" }
    }

    struct Result: Codable, Sendable {
        var kind: ModelKind
        var algorithm: TabularClassifier.Algorithm
        var folds: Int
        var groupedBy: String
        var perSource: [SourceReport]
        var seconds: Double

        enum CodingKeys: String, CodingKey {
            case kind, algorithm, folds, groupedBy = "grouped_by", perSource = "per_source", seconds
        }
    }

    var trainer: SpectraTrainer
    var folds: Int
    /// `plan` (PLANID) or `none` (each spectrum its own group).
    var groupBy: String

    func run(_ kind: ModelKind, on examples: [Example], algorithm: TabularClassifier.Algorithm) throws -> Result {
        let started = ContinuousClock.now
        // Scored on the classes the whole set can teach; rarer ones are left out, as training leaves them out.
        let (_, _, learnable, _) = try SpectraTrainer.learnable(kind, examples.map(\.spectrum), minClassSupport: trainer.minClassSupport)
        let assignment = assignment(examples)
        // Out-of-fold: for each labelled example, the truth and the probabilities of the model that did not see it.
        var outcomes: [(index: Int, truth: String, probabilities: [String: Double], typeIndex: Double?)] = []
        for fold in 0..<folds {
            let (trainRows, testRows) = assignment.split(fold)
            let model = try trainer.fit(kind, on: trainRows.map { examples[$0].spectrum }, algorithm: algorithm)
            for row in testRows {
                guard let truth = examples[row].spectrum.label(for: kind), learnable.contains(truth) else { continue }
                let features = examples[row].spectrum.features
                let aligned = model.align(names: features.names, values: features.values)
                outcomes.append((row, truth, Dictionary(uniqueKeysWithValues: zip(model.classes, model.probabilities(aligned))), model.predictedTypeIndex(aligned)))
            }
        }
        var perSource: [SourceReport] = []
        for source in Self.ordered(examples.map(\.source)) {
            let scored = outcomes.filter { examples[$0.index].source == source }
            guard !scored.isEmpty else { continue }
            // Every label seen, as truth or as a class some fold's model knew, in temperature order.
            let labels = Set(scored.map(\.truth) + scored.flatMap(\.probabilities.keys)).sorted(by: SpectraTrainer.classOrder)
            let report = ClassificationReport(
                labels: labels, truth: scored.map { labels.firstIndex(of: $0.truth)! },
                probabilities: scored.map { outcome in labels.map { outcome.probabilities[$0] ?? 0 } })
            let typeIndex = kind == .spectraMK
                ? TypeIndexEvaluation(predicted: scored.map(\.typeIndex), truth: scored.map { examples[$0.index].spectrum.typeIndex }, letters: scored.map(\.truth))
                : nil
            perSource.append(SourceReport(source: source, report: report, typeIndex: typeIndex))
        }
        return Result(kind: kind, algorithm: algorithm, folds: folds, groupedBy: groupBy, perSource: perSource, seconds: (ContinuousClock.now - started).inSeconds)
    }

    /// Each example's fold. By PLANID alone: the same plate in two folders (a re-reduction in
    /// another release) stays on one side.
    func assignment(_ examples: [Example]) -> GroupedFolds {
        let groups = examples.map { example in groupBy == "plan" ? example.spectrum.plan ?? "-" : "\(example.source)/\(example.spectrum.obsid)" }
        return GroupedFolds(groups: groups, folds: folds, seed: trainer.forest.seed)
    }

    /// Distinct values in first-seen order.
    static func ordered(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

extension CrossValidation.Result {
    /// A few lines per source: the headline measures, recall per class, the confusion matrix.
    var summary: String {
        perSource.map { part in
            let r = part.report
            return [
                "\(kind.rawValue) by \(algorithm.rawValue), \(folds)-fold cross-validation grouped by \(groupedBy), on \(part.source) (\(r.samples) labelled, out of fold):",
                String(format: "  accuracy %.3f  balanced %.3f  macro-F1 %.3f  ECE %.3f", r.accuracy, r.balancedAccuracy, r.macroF1, r.expectedCalibrationError),
                "  recall per class: " + r.classes.filter { $0.support > 0 }.map { "\($0.label) " + String(format: "%.2f", $0.recall) + " (\($0.support))" }
                    .joined(separator: ", "),
            ].joined(separator: "\n") + (part.typeIndex.map { "\n  " + $0.summary } ?? "") + "\n" + r.confusionTable.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
