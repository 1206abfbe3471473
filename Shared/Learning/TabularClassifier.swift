/// A trained classifier over named numeric features, ready to serve: the feature names it
/// expects, how it fills a missing value (the training median), its classes, its trees
/// (a random forest or gradient-boosted trees) and the calibration of a forest's
/// probabilities. Rows are aligned by feature name, so a vector with extra or reordered
/// features still works. An MK model may also carry a regressor of the spectral type index.
public struct TabularClassifier: Codable, Sendable, Equatable {
    /// In the order the trainer prefers them on a tie: boosted trees predict and explain in a
    /// fraction of a forest's time (TreeSHAP costs leaves × depth², and a forest's trees are deep).
    public enum Algorithm: String, Codable, Sendable, CaseIterable {
        case gradientBoosting = "gradient-boosting"
        case randomForest = "random-forest"
    }

    public var featureNames: [String]
    public var classes: [String]
    /// Training medians, used for a feature that is missing (nil, non-finite or absent).
    public var medians: [Double]
    /// Exactly one of `forest` and `boosted` is set.
    public var forest: RandomForest?
    public var boosted: GradientBoostedTrees?
    /// Exponent of the power scaling fitted on the forest's out-of-bag predictions
    /// (`ProbabilityCalibration`); nil: the probabilities as they are (boosted trees' softmax,
    /// older forests).
    public var calibration: Double?
    /// A regressor of `SpectralType.index` (A0 = 20 … M9 = 69) on the same features, for MK models.
    public var typeIndex: GradientBoostedTrees?

    public var algorithm: Algorithm { boosted != nil ? .gradientBoosting : .randomForest }

    /// A random forest on rows of optional values named by `featureNames`; labels are class names.
    public init(
        featureNames: [String], rows: [[Double?]], labels: [String], classes: [String], parameters: RandomForest.Parameters,
        calibrate: Bool = true
    ) {
        (self.featureNames, self.classes) = (featureNames, classes)
        medians = Self.medians(rows, columns: featureNames.count)
        let (matrix, truth) = Self.matrix(rows, labels: labels, classes: classes, medians: medians)
        let trained = RandomForest.trainWithOutOfBag(matrix, labels: truth, classCount: classes.count, parameters: parameters)
        forest = trained.forest
        if calibrate {
            let honest = trained.outOfBag.indices.filter { trained.outOfBag[$0] != nil }
            calibration = ProbabilityCalibration.fitExponent(probabilities: honest.map { trained.outOfBag[$0]! }, truth: honest.map { truth[$0] })
        }
    }

    /// Gradient-boosted trees on the same kind of rows.
    public init(featureNames: [String], rows: [[Double?]], labels: [String], classes: [String], boosting: GradientBoostedTrees.Parameters) {
        (self.featureNames, self.classes) = (featureNames, classes)
        medians = Self.medians(rows, columns: featureNames.count)
        let (matrix, truth) = Self.matrix(rows, labels: labels, classes: classes, medians: medians)
        boosted = GradientBoostedTrees.classifier(matrix, labels: truth, classCount: classes.count, parameters: boosting)
    }

    /// Fits `typeIndex` on the rows that have a target (the others are skipped), with this model's medians.
    public mutating func fitTypeIndex(rows: [[Double?]], targets: [Double?], parameters: GradientBoostedTrees.Parameters) {
        let known = targets.indices.filter { targets[$0] != nil }
        guard known.count >= 2 else { typeIndex = nil; return }
        let matrix = FeatureMatrix(rows: known.map { Self.fill(rows[$0], medians: medians) }, columns: featureNames.count)
        typeIndex = GradientBoostedTrees.regressor(matrix, targets: known.map { targets[$0]! }, parameters: parameters)
    }

    private static func medians(_ rows: [[Double?]], columns: Int) -> [Double] {
        (0..<columns).map { column in
            let present = rows.compactMap { $0[column] }.filter(\.isFinite).sorted()
            return present.isEmpty ? 0 : present[present.count / 2]
        }
    }

    private static func matrix(_ rows: [[Double?]], labels: [String], classes: [String], medians: [Double]) -> (FeatureMatrix, [Int]) {
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        return (FeatureMatrix(rows: rows.map { fill($0, medians: medians) }, columns: medians.count), labels.map { index[$0]! })
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
        let raw = uncalibratedProbabilities(row)
        return calibration.map { ProbabilityCalibration.apply(raw, exponent: $0) } ?? raw
    }

    public func probabilities(names: [String], values: [Double?]) -> [Double] {
        probabilities(align(names: names, values: values))
    }

    /// The trees' probabilities before calibration (to measure what calibration did).
    public func uncalibratedProbabilities(_ row: [Double]) -> [Double] {
        if let boosted { return boosted.probabilities(row) }
        return forest?.probabilities(row) ?? [Double](repeating: 1 / Double(classes.count), count: classes.count)
    }

    /// The predicted spectral type index of an aligned row, if this model has a regressor.
    public func predictedTypeIndex(_ row: [Double]) -> Double? {
        typeIndex?.predict(row)
    }

    /// Features by their share of the trees' impurity decrease (forest) or split gain (boosted), largest first.
    public func importances(top: Int) -> [FeatureImportance] {
        zip(featureNames, boosted?.importances ?? forest?.importances ?? [])
            .map { FeatureImportance(feature: $0, importance: $1) }
            .sorted { $0.importance > $1.importance }.prefix(top).map { $0 }
    }

    /// Why an aligned row got class `index`: exact TreeSHAP contributions, largest in size first.
    /// For boosted trees they add up to the class's log-odds margin; for a forest, to its
    /// uncalibrated probability; `base` is what they add to.
    public func explanation(_ row: [Double], class index: Int, top: Int) -> Explanation {
        let (base, phi) = boosted?.contributions(row, output: index)
            ?? forest?.contributions(row, output: index)
            ?? (0, [Double](repeating: 0, count: row.count))
        let contributions = featureNames.indices.map { FeatureContribution(feature: featureNames[$0], value: row[$0], contribution: phi[$0]) }
            .sorted { abs($0.contribution) > abs($1.contribution) }
        return Explanation(
            label: classes[index], scale: boosted != nil ? .logOdds : .probability, base: base,
            total: base + phi.reduce(0, +), contributions: Array(contributions.prefix(top)))
    }
}

/// The TreeSHAP explanation of one prediction.
public struct Explanation: Codable, Sendable, Equatable {
    public enum Scale: String, Codable, Sendable {
        /// Boosted trees: contributions to the class's softmax margin.
        case logOdds = "log_odds"
        /// A forest: contributions to the class's average tree vote.
        case probability
    }

    /// The class explained (the predicted one).
    public var label: String
    public var scale: Scale
    /// The model's expected output: each tree's leaves weighted by the training weight (hessian
    /// or bootstrap weight) that reached them.
    public var base: Double
    /// `base` plus every feature's contribution: the model's output for this row.
    public var total: Double
    /// The largest contributions by size, signed (positive: towards `label`).
    public var contributions: [FeatureContribution]

    public init(label: String, scale: Scale, base: Double, total: Double, contributions: [FeatureContribution]) {
        (self.label, self.scale, self.base, self.total, self.contributions) = (label, scale, base, total, contributions)
    }
}

public struct FeatureImportance: Codable, Sendable, Equatable {
    public var feature: String
    public var importance: Double
}
