import Foundation
import Learning
import Testing

@Suite("Random forest: learns, repeats itself with a seed, and explains itself")
struct ForestTests {
    /// Three classes as Gaussian blobs in the first two of `noise + 2` features; the rest is noise.
    static func blobs(perClass: Int, noise: Int, seed: UInt64) -> (rows: [[Double]], labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        func gaussian() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        let centres: [(Double, Double)] = [(0, 0), (4, 0), (0, 4)]
        var rows: [[Double]] = [], labels: [Int] = []
        for (label, centre) in centres.enumerated() {
            for _ in 0..<perClass {
                rows.append([centre.0 + gaussian(), centre.1 + gaussian()] + (0..<noise).map { _ in gaussian() })
                labels.append(label)
            }
        }
        return (rows, labels)
    }

    @Test("separable blobs: held-out accuracy above 95%, and the two informative features rank first")
    func learnsBlobs() {
        let (rows, labels) = Self.blobs(perClass: 200, noise: 6, seed: 7)
        let split = StratifiedSplit(labels: labels, validationFraction: 0.25, seed: 1)
        let names = (0..<8).map { "x\($0)" }
        let model = TabularClassifier(
            featureNames: names, rows: split.train.map { rows[$0].map(Optional.some) }, labels: split.train.map { "c\(labels[$0])" },
            classes: ["c0", "c1", "c2"], parameters: .init(trees: 60, seed: 3))
        let report = ClassificationReport(
            labels: model.classes, truth: split.validation.map { labels[$0] }, probabilities: split.validation.map { model.probabilities(rows[$0]) })
        #expect(report.accuracy > 0.95, "\(report.accuracy)")
        #expect(Set(model.importances(top: 2).map(\.feature)) == ["x0", "x1"])
        let permutation = PermutationImportance.compute(
            model, rows: split.validation.map { rows[$0] }, truth: split.validation.map { labels[$0] }, seed: 1)
        #expect(Set(permutation.prefix(2).map(\.feature)) == ["x0", "x1"])
        #expect(abs(model.forest!.importances.reduce(0, +) - 1) < 1e-9)
    }

    @Test("calibration finds the exponent that undoes a known softening of the probabilities")
    func recoversExponent() {
        var generator = SeededGenerator(seed: 5)
        var timid: [[Double]] = [], truth: [Int] = []
        for _ in 0..<4000 {
            // True class probabilities, a label drawn from them, and the model's softened view (q^(1/3)).
            let raw = (0..<3).map { _ in Double.random(in: 0.01..<1, using: &generator) }
            let q = ProbabilityCalibration.apply(raw, exponent: 4)
            let u = Double.random(in: 0..<1, using: &generator)
            truth.append(u < q[0] ? 0 : u < q[0] + q[1] ? 1 : 2)
            timid.append(ProbabilityCalibration.apply(q, exponent: 1.0 / 3))
        }
        let exponent = ProbabilityCalibration.fitExponent(probabilities: timid, truth: truth)
        #expect(abs(exponent - 3) < 0.3, "fitted \(exponent)")
        // Scaling keeps the ranking of the classes and sums to 1.
        for row in timid.prefix(100) {
            let scaled = ProbabilityCalibration.apply(row, exponent: exponent)
            #expect(ClassificationReport.argmax(scaled) == ClassificationReport.argmax(row))
            #expect(abs(scaled.reduce(0, +) - 1) < 1e-12)
        }
    }

    @Test("a forest calibrated on its out-of-bag votes is better calibrated on held-out rows, with the same predictions")
    func calibratedForest() {
        let (rows, labels) = Self.blobs(perClass: 300, noise: 6, seed: 11)
        let split = StratifiedSplit(labels: labels, validationFraction: 0.3, seed: 2)
        let model = TabularClassifier(
            featureNames: (0..<8).map { "x\($0)" }, rows: split.train.map { rows[$0].map(Optional.some) },
            labels: split.train.map { "c\(labels[$0])" }, classes: ["c0", "c1", "c2"], parameters: .init(trees: 100, seed: 3))
        let truth = split.validation.map { labels[$0] }
        let calibrated = ClassificationReport(labels: model.classes, truth: truth, probabilities: split.validation.map { model.probabilities(rows[$0]) })
        let votes = ClassificationReport(
            labels: model.classes, truth: truth, probabilities: split.validation.map { model.uncalibratedProbabilities(rows[$0]) })
        let exponent = model.calibration ?? 1
        #expect(exponent > 1, "a forest's averaged votes are timid: \(exponent)")
        #expect(calibrated.expectedCalibrationError < votes.expectedCalibrationError, "ECE \(votes.expectedCalibrationError) → \(calibrated.expectedCalibrationError)")
        #expect(calibrated.accuracy == votes.accuracy)
    }

    @Test("the same data and seed give the same forest; another seed gives another")
    func deterministic() {
        let (rows, labels) = Self.blobs(perClass: 50, noise: 3, seed: 1)
        let matrix = FeatureMatrix(rows: rows, columns: 5)
        let a = RandomForest(matrix, labels: labels, classCount: 3, parameters: .init(trees: 10, seed: 42))
        let b = RandomForest(matrix, labels: labels, classCount: 3, parameters: .init(trees: 10, seed: 42))
        let c = RandomForest(matrix, labels: labels, classCount: 3, parameters: .init(trees: 10, seed: 43))
        #expect(a == b)
        #expect(a != c)
    }

    @Test("a model survives JSON and reads vectors by feature name, filling missing values with training medians")
    func artifactAndAlignment() throws {
        let (rows, labels) = Self.blobs(perClass: 50, noise: 1, seed: 2)
        let model = TabularClassifier(
            featureNames: ["a", "b", "c"], rows: rows.map { $0.map(Optional.some) }, labels: labels.map { "c\($0)" },
            classes: ["c0", "c1", "c2"], parameters: .init(trees: 20, seed: 1))
        let decoded = try JSONDecoder().decode(TabularClassifier.self, from: JSONEncoder().encode(model))
        #expect(decoded == model)
        let row = [4.0, 0.1, 0.3]
        #expect(model.probabilities(names: ["c", "a", "b", "extra"], values: [0.3, 4.0, 0.1, 99]) == model.probabilities(row))
        #expect(model.align(names: ["a"], values: [nil]) == model.medians)
        #expect(model.align(names: ["a", "b", "c"], values: [.nan, 1, nil]) == [model.medians[0], 1, model.medians[2]])

        // An artifact from before calibration (no "calibration" key) still loads and serves the votes as they are.
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(model)) as? [String: Any])
        object["calibration"] = nil
        let older = try JSONDecoder().decode(TabularClassifier.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(older.calibration == nil)
        #expect(older.probabilities(row) == model.uncalibratedProbabilities(row))
    }

    @Test("a stratified split keeps every class's share and loses no row")
    func stratified() {
        let labels = Array(repeating: 0, count: 90) + Array(repeating: 1, count: 10) + [2, 2]
        let split = StratifiedSplit(labels: labels, validationFraction: 0.2, seed: 5)
        #expect(Set(split.train).union(split.validation) == Set(labels.indices))
        #expect(Set(split.train).isDisjoint(with: split.validation))
        #expect(split.validation.filter { labels[$0] == 0 }.count == 18)
        #expect(split.validation.filter { labels[$0] == 1 }.count == 2)
        #expect(split.validation.filter { labels[$0] == 2 }.count == 1)
        #expect(split == StratifiedSplit(labels: labels, validationFraction: 0.2, seed: 5))
    }
}
