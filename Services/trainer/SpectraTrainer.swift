import Contracts
import Foundation
import Learning
import Spectra

/// Trains one spectra model: picks the labelled examples, drops classes too rare to learn,
/// splits stratified, fits a random forest and gradient-boosted trees on the training part,
/// measures both on the rest and keeps the one with the better held-out macro-F1 (both are
/// recorded). An MK model also learns the spectral type index (A0 = 20 … M9 = 69), whose
/// held-out error in subtypes is reported. Pure computation (no I/O), shared by the service
/// and `trainer evaluate`.
struct SpectraTrainer: Sendable {
    var forest = RandomForest.Parameters(trees: 200, maxDepth: 20, minSamplesLeaf: 1, balanced: true, seed: 1)
    var boosting = GradientBoostedTrees.Parameters()
    /// The algorithms tried; with more than one, the better by held-out macro-F1 is kept.
    var algorithms = TabularClassifier.Algorithm.allCases
    /// The regressor of the type index beside an MK model.
    var typeIndex = GradientBoostedTrees.Parameters(rounds: 200, maxDepth: 4, balanced: false)
    var validationFraction = 0.2
    /// A class needs this many examples to be learnt; rarer ones are listed in the report.
    var minClassSupport = 5

    struct Result: Sendable {
        var kind: ModelKind
        var model: TabularClassifier
        var evaluation: ModelEvaluation
        var train: [Int]
        var validation: [Int]
        var reference: ReferenceProfile
    }

    enum Failure: Error, CustomStringConvertible {
        case tooFewClasses(ModelKind, counts: [String: Int])
        case mixedFeatureVersions([String])

        var description: String {
            switch self {
            case let .tooFewClasses(kind, counts):
                "cannot train \(kind.rawValue): needs two classes with at least the minimum support each, has \(counts.sorted { $0.key < $1.key })"
            case let .mixedFeatureVersions(versions): "examples mix feature versions \(versions)"
            }
        }
    }

    func train(_ kind: ModelKind, on examples: [LabelledSpectrum]) throws -> Result {
        let started = ContinuousClock.now
        let versions = Set(examples.map(\.features.version))
        guard versions.count <= 1 else { throw Failure.mixedFeatureVersions(versions.sorted()) }
        let (labelled, counts, classes, usable) = try Self.learnable(kind, examples, minClassSupport: minClassSupport)
        let names = usable[0].0.features.names
        let classIndex = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let split = StratifiedSplit(labels: usable.map { classIndex[$0.1]! }, validationFraction: validationFraction, seed: forest.seed)
        func rows(_ indices: [Int]) -> [[Double?]] { indices.map { Self.values(usable[$0].0.features, names: names) } }
        let trainRows = rows(split.train), trainLabels = split.train.map { usable[$0].1 }
        let truth = split.validation.map { classIndex[usable[$0].1]! }
        // Every algorithm fitted on the training part and scored on the held-out part.
        // Every candidate fills missing values with the same training medians, so the held-out
        // rows are aligned once.
        var candidates: [(model: TabularClassifier, report: ClassificationReport, seconds: Double)] = []
        var validationRows: [[Double]] = []
        for algorithm in algorithms {
            let fitted = ContinuousClock.now
            let candidate = fitClassifier(algorithm, names: names, rows: trainRows, labels: trainLabels, classes: classes)
            if validationRows.isEmpty {
                validationRows = split.validation.map { candidate.align(names: names, values: Self.values(usable[$0].0.features, names: names)) }
            }
            let report = ClassificationReport(labels: classes, truth: truth, probabilities: validationRows.map(candidate.probabilities))
            candidates.append((candidate, report, (ContinuousClock.now - fitted).inSeconds))
        }
        // The better held-out macro-F1; the first listed wins a tie.
        var chosen = 0
        for index in candidates.indices.dropFirst() where candidates[index].report.macroF1 > candidates[chosen].report.macroF1 { chosen = index }
        var model = candidates[chosen].model
        let report = candidates[chosen].report
        var typeIndexEvaluation: TypeIndexEvaluation? = nil
        if kind == .spectraMK {
            model.fitTypeIndex(rows: trainRows, targets: split.train.map { usable[$0].0.typeIndex }, parameters: typeIndex)
            typeIndexEvaluation = TypeIndexEvaluation(
                model: model, rows: validationRows, truth: split.validation.map { usable[$0].0.typeIndex }, letters: split.validation.map { usable[$0].1 })
        }
        let uncalibrated = ClassificationReport(labels: classes, truth: truth, probabilities: validationRows.map(model.uncalibratedProbabilities))
        let permutation = PermutationImportance.compute(model, rows: validationRows, truth: truth, seed: forest.seed)
        let evaluation = ModelEvaluation(
            kind: kind, featureVersion: versions.first ?? "", classes: classes,
            excludedClasses: counts.filter { $0.value < minClassSupport }, unlabelled: examples.count - labelled.count,
            trainCount: split.train.count, validationCount: split.validation.count,
            trainClassCounts: Dictionary(split.train.map { (usable[$0].1, 1) }, uniquingKeysWith: +),
            sourceClassCounts: Dictionary(grouping: usable, by: { $0.0.source ?? "unknown release" })
                .mapValues { Dictionary($0.map { ($0.1, 1) }, uniquingKeysWith: +) },
            parameters: forest, boosting: model.algorithm == .gradientBoosting ? boosting : nil, algorithm: model.algorithm,
            candidates: zip(algorithms, candidates).map { algorithm, candidate in
                ModelEvaluation.Candidate(algorithm: algorithm, report: candidate.report, seconds: candidate.seconds)
            },
            typeIndex: typeIndexEvaluation, validationFraction: validationFraction, validation: report,
            calibrationExponent: model.calibration, uncalibratedExpectedCalibrationError: uncalibrated.expectedCalibrationError,
            impurityImportances: model.importances(top: 20), permutationImportances: Array(permutation.prefix(20)),
            seconds: (ContinuousClock.now - started).inSeconds)
        // The drift reference: each feature's training values, the training labels, and the
        // labels the model predicts on held-out spectra.
        var numeric: [String: [Double]] = [:]
        for (column, name) in names.enumerated() {
            numeric[name] = ReferenceProfile.sample(split.train.compactMap { Self.values(usable[$0].0.features, names: names)[column] }.filter(\.isFinite))
        }
        let predicted = validationRows.map { classes[ClassificationReport.argmax(model.probabilities($0))] }
        let reference = ReferenceProfile(
            model: kind.rawValue, numeric: numeric,
            categorical: ["label": ReferenceProfile.sample(split.train.map { usable[$0].1 }), "predicted": ReferenceProfile.sample(predicted)],
            accuracy: report.accuracy)
        return Result(
            kind: kind, model: model, evaluation: evaluation,
            train: split.train.map { usable[$0].0.obsid }, validation: split.validation.map { usable[$0].0.obsid }, reference: reference)
    }

    /// A model of `kind` fitted by `algorithm` on all of `examples` (no held-out part): for
    /// cross-validation, whose folds are the held-out parts. Classes rarer than
    /// `minClassSupport` are left out; an MK model gets its type-index regressor.
    func fit(_ kind: ModelKind, on examples: [LabelledSpectrum], algorithm: TabularClassifier.Algorithm) throws -> TabularClassifier {
        let (_, _, classes, usable) = try Self.learnable(kind, examples, minClassSupport: minClassSupport)
        let names = usable[0].0.features.names
        let rows = usable.map { Self.values($0.0.features, names: names) }
        var model = fitClassifier(algorithm, names: names, rows: rows, labels: usable.map(\.1), classes: classes)
        if kind == .spectraMK { model.fitTypeIndex(rows: rows, targets: usable.map(\.0.typeIndex), parameters: typeIndex) }
        return model
    }

    private func fitClassifier(_ algorithm: TabularClassifier.Algorithm, names: [String], rows: [[Double?]], labels: [String], classes: [String]) -> TabularClassifier {
        switch algorithm {
        case .randomForest: TabularClassifier(featureNames: names, rows: rows, labels: labels, classes: classes, parameters: forest)
        case .gradientBoosting: TabularClassifier(featureNames: names, rows: rows, labels: labels, classes: classes, boosting: boosting)
        }
    }

    /// The examples labelled for `kind`, the count of each label, the classes common enough to
    /// learn (in temperature order) and the examples of those; throws when fewer than two are.
    static func learnable(_ kind: ModelKind, _ examples: [LabelledSpectrum], minClassSupport: Int) throws
        -> (labelled: [(LabelledSpectrum, String)], counts: [String: Int], classes: [String], usable: [(LabelledSpectrum, String)])
    {
        let labelled = examples.compactMap { example in example.label(for: kind).map { (example, $0) } }
        let counts = Dictionary(labelled.map { ($0.1, 1) }, uniquingKeysWith: +)
        let classes = counts.filter { $0.value >= minClassSupport }.keys.sorted(by: classOrder)
        guard classes.count >= 2 else { throw Failure.tooFewClasses(kind, counts: counts) }
        return (labelled, counts, classes, labelled.filter { classes.contains($0.1) })
    }

    /// The vector's values in `names` order (a vector from another extractor build may differ in order).
    static func values(_ features: FeatureVector, names: [String]) -> [Double?] {
        features.names == names ? features.values : names.map { features[$0] }
    }

    /// MK letters in temperature order, other labels alphabetically.
    static func classOrder(_ a: String, _ b: String) -> Bool {
        let sequence = "OBAFGKM"
        if a.count == 1, b.count == 1, let i = sequence.firstIndex(of: Character(a)), let j = sequence.firstIndex(of: Character(b)) { return i < j }
        return a < b
    }
}

extension Duration {
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
