import Contracts
import Foundation

/// The JSON report of one training session: what was asked, what data there was, and each
/// model's evaluation; kept in the registry and written under `DATA_DIR/reports/`.
struct TrainingSession: Codable, Sendable {
    struct TrainedModel: Codable, Sendable {
        /// `spectra-class@3`.
        var model: String
        /// A spectra model's evaluation …
        var evaluation: ModelEvaluation?
        /// … or a text model's.
        var textEvaluation: TextModelEvaluation?

        enum CodingKeys: String, CodingKey { case model, evaluation, textEvaluation = "text_evaluation" }

        var summary: String { evaluation?.summary ?? textEvaluation?.summary ?? "" }
    }

    var requestId: String
    var reason: String
    var selection: TrainRequest.Selection
    var featureVersion: String?
    /// Examples available to each kind before selection by label.
    var examples: [String: Int] = [:]
    var models: [TrainedModel] = []
    /// Kinds that could not be trained, and why (too few classes, not built yet).
    var skipped: [String: String] = [:]
    var startedAt: Date
    var finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", reason, selection, featureVersion = "feature_version", examples, models, skipped,
             startedAt = "started_at", finishedAt = "finished_at"
    }
}
