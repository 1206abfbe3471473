import Contracts
import Foundation
import Learning

/// What one model version becomes in MLflow: a run named after it (`spectra-class@3`) in the
/// experiment of its kind (`starstream/spectra-class`), with its parameters, its held-out
/// metrics, the session's JSON report, the evaluation and the artifact; and a version of the
/// registered model of its kind (`starstream-spectra-class`) tagged with Starstream's version
/// and feature version.
struct MLflowExport: Sendable {
    var experiment: String
    var registeredModel: String
    var runName: String
    var tags: [(String, String)]
    var params: [(String, String)]
    var metrics: [(String, Double)]
    /// Artifact path → JSON.
    var artifacts: [(String, [UInt8])]
    var trainedAt: Date
    var finishedAt: Date

    static let modelTag = "starstream.model"

    /// `prefix` (`MLFLOW_EXPERIMENT_PREFIX`, default `starstream`) keeps deployments that share
    /// one MLflow apart.
    init(_ pending: TrainerStore.MLflowPending, prefix: String = "starstream") throws {
        let model = pending.announcement
        experiment = "\(prefix)/\(model.kind.rawValue)"
        registeredModel = "\(prefix)-\(model.kind.rawValue)"
        runName = model.modelId
        trainedAt = pending.session?.startedAt ?? model.trainedAt
        finishedAt = model.trainedAt
        tags = [
            (Self.modelTag, model.modelId), ("starstream.kind", model.kind.rawValue), ("starstream.model_version", String(model.modelVersion)),
            ("starstream.feature_version", model.featureVersion), ("starstream.request_id", model.requestId),
        ]
        params = [
            ("feature_version", model.featureVersion), ("classes", Self.limited(model.classes.joined(separator: " "))),
            ("class_count", String(model.classes.count)), ("request_id", model.requestId),
        ]
        if let session = pending.session {
            params.append(("reason", session.reason))
            params.append(("selection", session.selection.rawValue))
        }
        metrics = [
            ("accuracy", model.accuracy), ("balanced_accuracy", model.balancedAccuracy), ("macro_f1", model.macroF1),
            ("train_count", Double(model.trainCount)), ("validation_count", Double(model.validationCount)),
        ]
        let evaluation = Data(pending.evaluation.utf8)
        if ModelKind.spectra.contains(model.kind) {
            let e = try JSONDecoder.iso8601.decode(ModelEvaluation.self, from: evaluation)
            if let b = e.boosting, e.algorithm == .gradientBoosting {
                params += [
                    ("model", "gradient-boosting"), ("rounds", String(b.rounds)), ("learning_rate", String(b.learningRate)),
                    ("max_depth", String(b.maxDepth)), ("min_child_weight", String(b.minChildWeight)), ("lambda", String(b.lambda)),
                    ("max_bins", String(b.maxBins)), ("subsample", String(b.subsample)), ("feature_fraction", String(b.featureFraction)),
                    ("balanced", String(b.balanced)), ("seed", String(b.seed)), ("validation_fraction", String(e.validationFraction)),
                ]
            } else {
                let p = e.parameters
                params += [
                    ("model", "random-forest"), ("trees", String(p.trees)), ("max_depth", String(p.maxDepth)),
                    ("min_samples_leaf", String(p.minSamplesLeaf)), ("max_features", p.maxFeatures.map(String.init) ?? "sqrt"),
                    ("balanced", String(p.balanced)), ("seed", String(p.seed)), ("validation_fraction", String(e.validationFraction)),
                ]
            }
            metrics += Self.heldOut(e.validation)
            for candidate in e.candidates ?? [] { metrics.append(("candidate_macro_f1.\(candidate.algorithm.rawValue)", candidate.macroF1)) }
            if let typeIndex = e.typeIndex { metrics.append(("subtype_mae", typeIndex.meanAbsoluteError)) }
            metrics.append(("training_seconds", e.seconds))
        } else {
            let e = try JSONDecoder.iso8601.decode(TextModelEvaluation.self, from: evaluation)
            params += [("model", e.chosen), ("vocabulary", String(e.vocabulary)), ("held_out_unseen", String(e.heldOutUnseen))]
            metrics += Self.heldOut(e.chosenReport)
            metrics.append(("training_seconds", e.seconds.total))
        }
        artifacts = [("evaluation.json", Array(evaluation)), ("model/model.json", Array(pending.artifact.utf8))]
        if let session = pending.session {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.dateEncodingStrategy = .iso8601
            artifacts.append(("report/training-session.json", Array(try encoder.encode(session))))
        }
    }

    /// The held-out report's measures, and F1 per class (`f1.STAR`).
    static func heldOut(_ report: ClassificationReport) -> [(String, Double)] {
        [("expected_calibration_error", report.expectedCalibrationError), ("brier_score", report.brierScore), ("top3_accuracy", report.top3Accuracy)]
            + report.classes.map { ("f1." + metricKey($0.label), $0.f1) }
    }

    /// MLflow keys allow letters, digits, `_ - . / ` and space; anything else becomes `_`.
    static func metricKey(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || "_-./ ".contains($0) ? $0 : "_" })
    }

    /// Parameter values are at most 6,000 characters.
    static func limited(_ text: String) -> String { text.count <= 6000 ? text : String(text.prefix(5997)) + "…" }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
