import Foundation
import Learning
import Testing

@Suite("Gradient-boosted trees: histogram bins, softmax classes, squared-error targets, seeded")
struct BoostingTests {
    @Test("bins: few distinct values get an edge between each pair; many get quantile edges; ties share a bin")
    func bins() {
        let few = FeatureMatrix(rows: [[1], [2], [2], [5]], columns: 1)
        let fewBins = FeatureBins(few, maxBins: 16)
        #expect(fewBins.thresholds[0] == [1.5, 3.5])
        #expect([1.0, 2, 2, 5].map { fewBins.bin($0, feature: 0) } == [0, 1, 1, 2])
        #expect(fewBins.bin(100, feature: 0) == 2 && fewBins.bin(-100, feature: 0) == 0)

        let many = FeatureMatrix(rows: (0..<1000).map { [Double($0 / 2)] }, columns: 1)  // 500 values, each twice
        let manyBins = FeatureBins(many, maxBins: 10)
        #expect(manyBins.thresholds[0].count == 9)
        #expect(manyBins.binCount == 10)
        let binned = manyBins.binned(many)
        for row in stride(from: 0, to: 1000, by: 2) { #expect(binned[row] == binned[row + 1]) }
        // Roughly equal shares: no bin holds more than twice its tenth.
        let counts = Dictionary(binned.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(counts.values.allSatisfy { $0 <= 200 }, "\(counts)")

        let constant = FeatureMatrix(rows: [[3], [3]], columns: 1)
        #expect(FeatureBins(constant).thresholds[0].isEmpty)
    }

    @Test("blobs: held-out accuracy above 95%, probabilities sum to one, the informative features rank first")
    func classifiesBlobs() {
        let (rows, labels) = ForestTests.blobs(perClass: 200, noise: 6, seed: 7)
        let split = StratifiedSplit(labels: labels, validationFraction: 0.25, seed: 1)
        let model = GradientBoostedTrees.classifier(
            FeatureMatrix(rows: split.train.map { rows[$0] }, columns: 8), labels: split.train.map { labels[$0] }, classCount: 3,
            parameters: .init(rounds: 60, seed: 3))
        #expect(model.trees.count == 60 * 3)
        let probabilities = split.validation.map { model.probabilities(rows[$0]) }
        let report = ClassificationReport(labels: ["c0", "c1", "c2"], truth: split.validation.map { labels[$0] }, probabilities: probabilities)
        #expect(report.accuracy > 0.95, "\(report.accuracy)")
        #expect(probabilities.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-9 })
        let ranked = model.importances.enumerated().sorted { $0.element > $1.element }.map(\.offset)
        #expect(Set(ranked.prefix(2)) == [0, 1])
        #expect(abs(model.importances.reduce(0, +) - 1) < 1e-9)
    }

    @Test("the same data and seed give the same model (a round's class trees are grown side by side); another seed another model")
    func seeded() throws {
        let (rows, labels) = ForestTests.blobs(perClass: 60, noise: 3, seed: 2)
        let x = FeatureMatrix(rows: rows, columns: 5)
        let a = GradientBoostedTrees.classifier(x, labels: labels, classCount: 3, parameters: .init(rounds: 20, seed: 9))
        let b = GradientBoostedTrees.classifier(x, labels: labels, classCount: 3, parameters: .init(rounds: 20, seed: 9))
        let c = GradientBoostedTrees.classifier(x, labels: labels, classCount: 3, parameters: .init(rounds: 20, seed: 10))
        #expect(a == b)
        #expect(a != c)
        let decoded = try JSONDecoder().decode(GradientBoostedTrees.self, from: JSONEncoder().encode(a))
        #expect(decoded == a)
    }

    @Test("balanced weights lift the recall of a class ten times rarer than the others")
    func balancedRareClass() {
        var generator = SeededGenerator(seed: 4)
        var rows: [[Double]] = [], labels: [Int] = []
        // Overlapping classes: class 2 (rare) sits between 0 and 1.
        for (label, centre, count) in [(0, -2.0, 500), (1, 2.0, 500), (2, 0.0, 50)] {
            for _ in 0..<count {
                rows.append([centre + Double.random(in: -1.6...1.6, using: &generator), Double.random(in: 0..<1, using: &generator)])
                labels.append(label)
            }
        }
        let x = FeatureMatrix(rows: rows, columns: 2)
        func rareRecall(balanced: Bool) -> Double {
            let model = GradientBoostedTrees.classifier(x, labels: labels, classCount: 3, parameters: .init(rounds: 40, maxDepth: 3, balanced: balanced))
            let rare = rows.indices.filter { labels[$0] == 2 }
            return Double(rare.filter { ClassificationReport.argmax(model.probabilities(rows[$0])) == 2 }.count) / Double(rare.count)
        }
        let plain = rareRecall(balanced: false), balanced = rareRecall(balanced: true)
        #expect(balanced > plain + 0.2, "recall of the rare class: balanced \(balanced), plain \(plain)")
    }

    @Test("regression: a smooth target of two features is fitted to a small error, the noise feature ignored")
    func regresses() {
        var generator = SeededGenerator(seed: 8)
        let rows = (0..<1500).map { _ in (0..<3).map { _ in Double.random(in: -1...1, using: &generator) } }
        let targets = rows.map { 20 + 10 * $0[0] + 5 * $0[1] * $0[1] }
        let model = GradientBoostedTrees.regressor(
            FeatureMatrix(rows: Array(rows[..<1200]), columns: 3), targets: Array(targets[..<1200]), parameters: .init(rounds: 200, maxDepth: 4))
        let errors = (1200..<1500).map { abs(model.predict(rows[$0]) - targets[$0]) }
        let meanError = errors.reduce(0, +) / Double(errors.count)
        #expect(meanError < 0.5, "mean absolute error \(meanError) on a target spanning 10…35")
        #expect(model.importances[2] < 0.02, "noise feature's share of the gain: \(model.importances[2])")
    }
}
