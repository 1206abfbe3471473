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
        #expect(abs(model.forest.importances.reduce(0, +) - 1) < 1e-9)
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
