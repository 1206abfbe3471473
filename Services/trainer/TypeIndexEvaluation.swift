import Foundation
import Learning

/// How far the regressed spectral type index lies from LAMOST's SUBCLASS, in subtypes (one
/// unit of the index: K3 against K5 is 2), over the held-out stars whose SUBCLASS has one.
struct TypeIndexEvaluation: Codable, Sendable, Equatable {
    struct Letter: Codable, Sendable, Equatable {
        var count: Int
        var meanAbsoluteError: Double

        enum CodingKeys: String, CodingKey { case count, meanAbsoluteError = "mean_absolute_error" }
    }

    var count: Int
    var meanAbsoluteError: Double
    /// Share within one subtype of the survey's.
    var withinOne: Double
    /// By the survey's letter.
    var perLetter: [String: Letter]

    enum CodingKeys: String, CodingKey {
        case count, meanAbsoluteError = "mean_absolute_error", withinOne = "within_one", perLetter = "per_letter"
    }

    /// From predictions and truths (nil where the survey gave no subtype), with each row's survey letter; nil when nothing is scored.
    init?(predicted: [Double?], truth: [Double?], letters: [String]) {
        let scored = truth.indices.compactMap { i in truth[i].flatMap { t in predicted[i].map { (error: abs($0 - t), letter: letters[i]) } } }
        guard !scored.isEmpty else { return nil }
        count = scored.count
        meanAbsoluteError = scored.reduce(0) { $0 + $1.error } / Double(scored.count)
        withinOne = Double(scored.filter { $0.error <= 1 }.count) / Double(scored.count)
        perLetter = Dictionary(grouping: scored, by: \.letter).mapValues { group in
            Letter(count: group.count, meanAbsoluteError: group.reduce(0) { $0 + $1.error } / Double(group.count))
        }
    }

    /// `model`'s type index on aligned `rows`, scored.
    init?(model: TabularClassifier, rows: [[Double]], truth: [Double?], letters: [String]) {
        self.init(predicted: rows.map(model.predictedTypeIndex), truth: truth, letters: letters)
    }

    var summary: String {
        String(format: "subtype (type index, A0 = 20 … M9 = 69): MAE %.2f subtypes, %.0f%% within one, on %d stars; by letter: ",
               meanAbsoluteError, withinOne * 100, count)
            + perLetter.sorted { SpectraTrainer.classOrder($0.key, $1.key) }
            .map { String(format: "%@ %.2f (%d)", $0.key as NSString, $0.value.meanAbsoluteError, $0.value.count) }.joined(separator: ", ")
    }
}
