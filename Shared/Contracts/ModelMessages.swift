import Foundation
import Streams

/// The models the trainer produces. A kind names what is predicted, from what.
public enum ModelKind: String, Codable, Sendable, CaseIterable {
    /// CLASS (STAR, GALAXY, QSO) of a spectrum from its line features.
    case spectraClass = "spectra-class"
    /// The MK letter (O…M) of a star from its line features.
    case spectraMK = "spectra-mk"
    /// The arXiv archive (`astro-ph`) of a paper from its title and abstract.
    case arxivArchive = "arxiv-archive"
    /// The full primary category (`astro-ph.GA`) of a paper.
    case arxivCategory = "arxiv-category"

    public static let spectra: [ModelKind] = [.spectraClass, .spectraMK]
    public static let arxiv: [ModelKind] = [.arxivArchive, .arxivCategory]
}

/// `models.train-requests` v1: train these kinds now (`trainer train`, or the trainer itself
/// after N new labelled examples).
public struct TrainRequest: StreamMessage, Equatable {
    public static let stream = StreamName.modelsTrainRequests
    public static let type = "models.train-request"
    public static let version = 1

    public enum Selection: String, Codable, Sendable {
        /// Every labelled example of the feature version.
        case all
        /// Only examples no earlier model of the kind was trained or validated on (the original
        /// pipeline's `trained_spectra.csv` batches).
        case unused
    }

    public var requestId: String
    public var kinds: [ModelKind]
    public var selection: Selection
    /// At most this many examples (the oldest first), nil: no limit.
    public var limit: Int?
    /// "command" or "auto", for the report.
    public var reason: String

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", kinds, selection, limit, reason
    }

    public init(requestId: String, kinds: [ModelKind], selection: Selection = .all, limit: Int? = nil, reason: String = "command") {
        (self.requestId, self.kinds, self.selection, self.limit, self.reason) = (requestId, kinds, selection, limit, reason)
    }

    public var idempotencyKey: String { "train:\(requestId)" }
}

/// `models.trained` v1: a model version is registered; its artifact is at `artifactPath` on
/// the trainer's HTTP API (consumers fetch it there, never from the trainer's tables).
public struct ModelTrained: StreamMessage, Equatable {
    public static let stream = StreamName.modelsTrained
    public static let type = "models.trained"
    public static let version = 1

    public var kind: ModelKind
    public var modelVersion: Int
    /// The feature vector version (`lines-v2`) or text representation the model reads.
    public var featureVersion: String
    public var classes: [String]
    public var trainCount: Int
    public var validationCount: Int
    /// Held-out measures.
    public var accuracy: Double
    public var balancedAccuracy: Double
    public var macroF1: Double
    /// `/api/models/<kind>/<version>/artifact` on the trainer.
    public var artifactPath: String
    public var requestId: String
    public var trainedAt: Date

    enum CodingKeys: String, CodingKey {
        case kind, modelVersion = "model_version", featureVersion = "feature_version", classes, trainCount = "train_count",
             validationCount = "validation_count", accuracy, balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1",
             artifactPath = "artifact_path", requestId = "request_id", trainedAt = "trained_at"
    }

    public init(
        kind: ModelKind, modelVersion: Int, featureVersion: String, classes: [String], trainCount: Int, validationCount: Int,
        accuracy: Double, balancedAccuracy: Double, macroF1: Double, requestId: String, trainedAt: Date
    ) {
        (self.kind, self.modelVersion, self.featureVersion, self.classes) = (kind, modelVersion, featureVersion, classes)
        (self.trainCount, self.validationCount, self.accuracy, self.balancedAccuracy, self.macroF1) =
            (trainCount, validationCount, accuracy, balancedAccuracy, macroF1)
        (self.requestId, self.trainedAt) = (requestId, trainedAt)
        artifactPath = "/api/models/\(kind.rawValue)/\(modelVersion)/artifact"
    }

    /// `spectra-class@3`.
    public var modelId: String { "\(kind.rawValue)@\(modelVersion)" }

    public var idempotencyKey: String { "trained:\(modelId)" }
}

/// What a model's training data looked like, published with the model (trainer:
/// `GET /api/models/<kind>/<version>/reference`) for the drift monitor to compare against.
public struct ReferenceProfile: Codable, Sendable, Equatable {
    /// `arxiv-category@2`.
    public var model: String
    /// Column → a sample of its training values.
    public var numeric: [String: [Double]]
    /// Column → a sample of its training (or held-out prediction) labels.
    public var categorical: [String: [String]]
    /// Held-out accuracy, to compare live accuracy with.
    public var accuracy: Double?

    public init(model: String, numeric: [String: [Double]], categorical: [String: [String]], accuracy: Double?) {
        (self.model, self.numeric, self.categorical, self.accuracy) = (model, numeric, categorical, accuracy)
    }

    /// At most this many values per column: above 1,000 the monitor's tests switch from
    /// K-S/chi-square to Wasserstein/Jensen-Shannon, as Evidently's do.
    public static let sampleLimit = 5000

    public static func sample<T>(_ values: [T]) -> [T] {
        guard values.count > sampleLimit else { return values }
        let step = Double(values.count) / Double(sampleLimit)
        return (0..<sampleLimit).map { values[Int(Double($0) * step)] }
    }
}
