import Foundation
import Learning
import Testing

@Suite("TreeSHAP: exact Shapley values of boosted trees and forests, equal to enumerating every coalition")
struct TreeSHAPTests {
    /// The tree's expected value for `output` when only the features in `known` are known: a
    /// known feature's split follows the row, an unknown one averages both sides by their covers.
    static func conditional(_ tree: some CoveredTree, output: Int, row: [Double], known: Set<Int>, node: Int = 0) -> Double {
        guard let split = tree.split(node) else { return tree.leafValue(node, output: output) }
        if known.contains(split.feature) {
            return conditional(tree, output: output, row: row, known: known, node: row[split.feature] <= split.threshold ? split.left : split.right)
        }
        let left = tree.cover(split.left), right = tree.cover(split.right)
        return (left * conditional(tree, output: output, row: row, known: known, node: split.left)
            + right * conditional(tree, output: output, row: row, known: known, node: split.right)) / (left + right)
    }

    /// Shapley values by the definition: every coalition of the other features, weighted |S|!(M−|S|−1)!/M!.
    static func bruteForce(_ tree: some CoveredTree, output: Int = 0, row: [Double], features: Int) -> [Double] {
        func factorial(_ n: Int) -> Double { n <= 1 ? 1 : Double(n) * factorial(n - 1) }
        return (0..<features).map { i in
            let others = (0..<features).filter { $0 != i }
            var value = 0.0
            for mask in 0..<(1 << others.count) {
                let coalition = Set(others.indices.filter { mask & (1 << $0) != 0 }.map { others[$0] })
                let weight = factorial(coalition.count) * factorial(features - coalition.count - 1) / factorial(features)
                value += weight * (conditional(tree, output: output, row: row, known: coalition.union([i]))
                    - conditional(tree, output: output, row: row, known: coalition))
            }
            return value
        }
    }

    /// Four features, of which the target uses three, one of them twice on a path (a repeated split).
    static func data() -> (rows: [[Double]], labels: [Int]) {
        var generator = SeededGenerator(seed: 12)
        let rows = (0..<600).map { _ in (0..<4).map { _ in Double.random(in: 0..<1, using: &generator) } }
        return (rows, rows.map { row in row[0] > 0.5 ? (row[1] > 0.3 ? 0 : 1) : (row[0] < 0.2 || row[2] > 0.7 ? 2 : 1) })
    }

    static func model() -> (GradientBoostedTrees, [[Double]]) {
        let (rows, labels) = data()
        let model = GradientBoostedTrees.classifier(
            FeatureMatrix(rows: rows, columns: 4), labels: labels, classCount: 3, parameters: .init(rounds: 8, maxDepth: 4, subsample: 1, featureFraction: 1))
        return (model, rows)
    }

    @Test("every tree of a model: TreeSHAP equals the brute-force Shapley values, and they sum to the tree's value minus its expectation")
    func exactPerTree() {
        let (model, rows) = Self.model()
        #expect(model.trees.contains { tree in
            // A path that splits on one feature twice exercises the unwinding.
            tree.nodes.contains { node in !node.isLeaf && [node.left, node.right].contains { child in tree.nodes[child].feature == node.feature } }
        })
        for row in rows.prefix(12) {
            for tree in model.trees {
                var phi = [Double](repeating: 0, count: 4)
                let expected = TreeSHAP.accumulate(tree, output: 0, row: row, into: &phi)
                let brute = Self.bruteForce(tree, row: row, features: 4)
                for i in 0..<4 { #expect(abs(phi[i] - brute[i]) < 1e-9, "feature \(i): \(phi[i]) vs \(brute[i])") }
                #expect(abs(expected + phi.reduce(0, +) - tree.value(row)) < 1e-9)
            }
        }
    }

    @Test("a model's contributions to a class's margin add up to that margin")
    func additive() {
        let (model, rows) = Self.model()
        for row in rows.prefix(50) {
            for output in 0..<3 {
                let (base, phi) = model.contributions(row, output: output)
                #expect(abs(base + phi.reduce(0, +) - model.margins(row)[output]) < 1e-9)
            }
        }
    }

    @Test("a forest's trees (covers kept while growing): exact per class, and the forest's contributions add up to its average vote")
    func forest() {
        let (rows, labels) = Self.data()
        let forest = RandomForest(FeatureMatrix(rows: rows, columns: 4), labels: labels, classCount: 3, parameters: .init(trees: 5, maxDepth: 5, seed: 2))
        #expect(forest.trees.allSatisfy { $0.covers?.count == $0.nodes.count })
        for row in rows.prefix(6) {
            for tree in forest.trees {
                for output in 0..<3 {
                    var phi = [Double](repeating: 0, count: 4)
                    TreeSHAP.accumulate(tree, output: output, row: row, into: &phi)
                    let brute = Self.bruteForce(tree, output: output, row: row, features: 4)
                    for i in 0..<4 { #expect(abs(phi[i] - brute[i]) < 1e-9, "class \(output), feature \(i): \(phi[i]) vs \(brute[i])") }
                }
            }
            for output in 0..<3 {
                let (base, phi) = forest.contributions(row, output: output)
                #expect(abs(base + phi.reduce(0, +) - forest.probabilities(row)[output]) < 1e-9)
            }
        }
    }

    @Test("a served explanation: the chosen class, its top contributions largest first, adding up with the rest to the model's output")
    func explanation() {
        let (rows, labels) = Self.data()
        let names = ["a", "b", "c", "d"]
        let model = TabularClassifier(
            featureNames: names, rows: rows.map { $0.map(Optional.some) }, labels: labels.map { "c\($0)" }, classes: ["c0", "c1", "c2"],
            boosting: .init(rounds: 10, maxDepth: 3))
        let row = rows[0]
        let best = ClassificationReport.argmax(model.probabilities(row))
        let top = model.explanation(row, class: best, top: 2), all = model.explanation(row, class: best, top: 4)
        #expect(top.label == "c\(best)" && top.scale == .logOdds)
        #expect(top.contributions == Array(all.contributions.prefix(2)))
        #expect(all.contributions.map { abs($0.contribution) } == all.contributions.map { abs($0.contribution) }.sorted(by: >))
        #expect(abs(all.base + all.contributions.reduce(0) { $0 + $1.contribution } - all.total) < 1e-9)
        #expect(abs(all.total - model.boosted!.margins(row)[best]) < 1e-9)
        #expect(all.contributions.allSatisfy { names.contains($0.feature) && $0.value == row[names.firstIndex(of: $0.feature)!] })
    }
}
