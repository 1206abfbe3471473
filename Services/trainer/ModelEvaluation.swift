import Contracts
import Foundation
import Learning

/// What a training run produced and how good it is: the model's part of the session report.
struct ModelEvaluation: Codable, Sendable {
    var kind: ModelKind
    var featureVersion: String
    var classes: [String]
    /// Classes seen with fewer examples than the minimum support, and how many.
    var excludedClasses: [String: Int]
    /// Examples without a label for this kind (Unknown CLASS, non-stars for MK).
    var unlabelled: Int
    var trainCount: Int
    var validationCount: Int
    var trainClassCounts: [String: Int]
    /// Examples used (training and held out) per source and label: how many A stars were real
    /// DR10 spectra and how many simulated, say. Absent in reports written before it existed.
    var sourceClassCounts: [String: [String: Int]]?
    /// The forest's parameters (recorded even when boosted trees are the model).
    var parameters: RandomForest.Parameters
    /// The boosted trees' parameters when they are the model.
    var boosting: GradientBoostedTrees.Parameters?
    /// The kept algorithm; absent in reports from before boosting (a forest).
    var algorithm: TabularClassifier.Algorithm?
    /// Every algorithm fitted on the same split, with its held-out measures and fitting time.
    var candidates: [Candidate]?
    /// MK models: the type-index regressor's held-out error.
    var typeIndex: TypeIndexEvaluation?
    var validationFraction: Double
    /// Measured on the held-out split only.
    var validation: ClassificationReport
    /// The probability calibration's exponent (fitted on out-of-bag votes) and the held-out
    /// calibration error without it.
    var calibrationExponent: Double?
    var uncalibratedExpectedCalibrationError: Double?
    var impurityImportances: [FeatureImportance]
    /// Drop in held-out balanced accuracy when the feature is shuffled.
    var permutationImportances: [FeatureImportance]
    var seconds: Double

    enum CodingKeys: String, CodingKey {
        case kind, featureVersion = "feature_version", classes, excludedClasses = "excluded_classes", unlabelled,
             trainCount = "train_count", validationCount = "validation_count", trainClassCounts = "train_class_counts", sourceClassCounts = "source_class_counts",
             parameters, boosting, algorithm, candidates, typeIndex = "type_index", validationFraction = "validation_fraction", validation, calibrationExponent = "calibration_exponent",
             uncalibratedExpectedCalibrationError = "uncalibrated_expected_calibration_error",
             impurityImportances = "impurity_importances", permutationImportances = "permutation_importances", seconds
    }

    struct Candidate: Codable, Sendable {
        var algorithm: TabularClassifier.Algorithm
        var accuracy: Double
        var balancedAccuracy: Double
        var macroF1: Double
        var seconds: Double

        enum CodingKeys: String, CodingKey {
            case algorithm, accuracy, balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1", seconds
        }

        init(algorithm: TabularClassifier.Algorithm, report: ClassificationReport, seconds: Double) {
            (self.algorithm, accuracy, balancedAccuracy, macroF1, self.seconds) =
                (algorithm, report.accuracy, report.balancedAccuracy, report.macroF1, seconds)
        }
    }

    /// A few lines for a console: the headline measures and the confusion matrix.
    var summary: String {
        let v = validation
        var lines = [
            "\(kind.rawValue): \(trainCount) train / \(validationCount) held out, classes \(classes.joined(separator: " "))"
                + (excludedClasses.isEmpty ? "" : " (too rare: \(excludedClasses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")))"),
            String(format: "  accuracy %.3f  balanced %.3f  macro-F1 %.3f  ECE %.3f  Brier %.3f  (%.1f s)",
                   v.accuracy, v.balancedAccuracy, v.macroF1, v.expectedCalibrationError, v.brierScore, seconds),
            "  F1 per class: " + v.classes.map { "\($0.label) " + String(format: "%.2f", $0.f1) }.joined(separator: ", "),
            topFeatures,
        ]
        if let candidates, candidates.count > 1 {
            lines.insert("  kept \(algorithm?.rawValue ?? "random-forest") by held-out macro-F1; tried: " + candidates.map {
                String(format: "%@ accuracy %.3f balanced %.3f macro-F1 %.3f (%.1f s)", $0.algorithm.rawValue as NSString, $0.accuracy, $0.balancedAccuracy, $0.macroF1, $0.seconds)
            }.joined(separator: "; "), at: 1)
        }
        if let typeIndex { lines.insert("  " + typeIndex.summary, at: 2) }
        if let sources = sourceClassCounts, !sources.isEmpty {
            lines.insert("  examples per source: " + sources.sorted { $0.key < $1.key }.map { source, counts in
                "\(source) (" + counts.sorted { SpectraTrainer.classOrder($0.key, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"
            }.joined(separator: "; "), at: 1)
        }
        if let before = uncalibratedExpectedCalibrationError {
            lines.insert(String(format: "  calibrated: tree votes^%.2f (fitted out of bag); held-out ECE %.3f before", calibrationExponent ?? 1, before), at: 2)
        }
        lines += v.confusionTable.split(separator: "\n").map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    /// The features whose shuffling cost held-out balanced accuracy; on a small held-out split, shuffling
    /// any one of several redundant features may cost nothing, and then the forest's own
    /// (impurity) ranking is shown instead of five zeros.
    private var topFeatures: String {
        func list(_ importances: some Sequence<FeatureImportance>) -> String {
            importances.map { "\($0.feature) " + String(format: "%.3f", $0.importance) }.joined(separator: ", ")
        }
        let measurable = permutationImportances.filter { $0.importance >= 0.0005 }.prefix(5)  // non-zero as printed
        if !measurable.isEmpty { return "  top features (permutation): " + list(measurable) }
        return "  top features (impurity; on \(validationCount) held-out spectra no single shuffled feature lowered balanced accuracy): "
            + list(impurityImportances.prefix(5))
    }
}
