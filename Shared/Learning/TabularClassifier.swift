/// A trained classifier over named numeric features, ready to serve: the feature names it
/// expects, how it fills a missing value (the training median), its classes, its forest and
/// the calibration of its probabilities. Rows are aligned by feature name, so a vector with
/// extra or reordered features still works.
public struct TabularClassifier: Codable, Sendable, Equatable {
    public var featureNames: [String]
    public var classes: [String]
    /// Training medians, used for a feature that is missing (nil, non-finite or absent).
    public var medians: [Double]
    public var forest: RandomForest
    /// Exponent of the power scaling fitted on the forest's out-of-bag predictions
    /// (`ProbabilityCalibration`); nil: the forest's vote shares as they are (older artifacts).
    public var calibration: Double?

    /// Trains on rows of optional values named by `featureNames`; labels are class names.
    public init(
        featureNames: [String], rows: [[Double?]], labels: [String], classes: [String], parameters: RandomForest.Parameters,
        calibrate: Bool = true
    ) {
        self.featureNames = featureNames
        self.classes = classes
        let medians = featureNames.indices.map { column in
            let present = rows.compactMap { $0[column] }.filter(\.isFinite).sorted()
            return present.isEmpty ? 0 : present[present.count / 2]
        }
        self.medians = medians
        let matrix = FeatureMatrix(rows: rows.map { Self.fill($0, medians: medians) }, columns: featureNames.count)
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let truth = labels.map { index[$0]! }
        let trained = RandomForest.trainWithOutOfBag(matrix, labels: truth, classCount: classes.count, parameters: parameters)
        forest = trained.forest
        if calibrate {
            let honest = trained.outOfBag.indices.filter { trained.outOfBag[$0] != nil }
            calibration = ProbabilityCalibration.fitExponent(probabilities: honest.map { trained.outOfBag[$0]! }, truth: honest.map { truth[$0] })
        }
    }

    static func fill(_ row: [Double?], medians: [Double]) -> [Double] {
        row.enumerated().map { column, value in
            guard let value, value.isFinite else { return medians[column] }
            return value
        }
    }

    /// The row in this model's feature order, missing values filled.
    public func align(names: [String], values: [Double?]) -> [Double] {
        if names == featureNames { return Self.fill(values, medians: medians) }
        let given = Dictionary(zip(names, values), uniquingKeysWith: { first, _ in first })
        return Self.fill(featureNames.map { given[$0] ?? nil }, medians: medians)
    }

    /// Probability of each of `classes` for an aligned row, calibrated.
    public func probabilities(_ row: [Double]) -> [Double] {
        let votes = forest.probabilities(row)
        return calibration.map { ProbabilityCalibration.apply(votes, exponent: $0) } ?? votes
    }

    public func probabilities(names: [String], values: [Double?]) -> [Double] {
        probabilities(align(names: names, values: values))
    }

    /// The forest's vote shares before calibration (to measure what calibration did).
    public func uncalibratedProbabilities(_ row: [Double]) -> [Double] {
        forest.probabilities(row)
    }

    /// Features by mean decrease in impurity, largest first.
    public func importances(top: Int) -> [FeatureImportance] {
        zip(featureNames, forest.importances).map { FeatureImportance(feature: $0, importance: $1) }
            .sorted { $0.importance > $1.importance }.prefix(top).map { $0 }
    }
}

public struct FeatureImportance: Codable, Sendable, Equatable {
    public var feature: String
    public var importance: Double
}
