/// A CART classification tree grown on weighted samples with the Gini criterion.
/// Nodes live in one flat array (leaves carry class probabilities), so a tree is a compact,
/// Codable artifact and prediction is a loop without recursion.
public struct DecisionTree: Codable, Sendable, Equatable {
    public struct Node: Codable, Sendable, Equatable {
        /// The split feature, or -1 for a leaf.
        public var feature: Int
        public var threshold: Double
        public var left: Int
        public var right: Int
        /// Index of the leaf's distribution in `distributions` (leaves only).
        public var leaf: Int

        enum CodingKeys: String, CodingKey { case feature = "f", threshold = "t", left = "l", right = "r", leaf = "v" }
    }

    public var nodes: [Node]
    /// `distributions[leaf]` = class probabilities at that leaf.
    public var distributions: [[Double]]
    /// The training weight (bootstrap multiplicity × class weight) that reached each node, for
    /// TreeSHAP; nil in trees grown before it was kept.
    public var covers: [Double]?

    public struct Parameters: Sendable {
        public var maxDepth: Int
        public var minSamplesLeaf: Int
        /// Features tried at each split (√features for a forest).
        public var maxFeatures: Int
    }

    /// Grows a tree on the samples with non-zero `weights`. `importances` receives each
    /// feature's weighted impurity decrease (mean decrease in impurity).
    static func grow(
        _ x: FeatureMatrix, labels: [Int], classCount: Int, weights: [Double], parameters: Parameters,
        generator: inout SeededGenerator, importances: inout [Double]
    ) -> DecisionTree {
        var tree = DecisionTree(nodes: [], distributions: [], covers: nil)
        var samples = weights.indices.filter { weights[$0] > 0 }
        var pending: [(node: Int, start: Int, end: Int, depth: Int)] = []
        tree.nodes.append(Node(feature: -1, threshold: 0, left: -1, right: -1, leaf: -1))
        var covers = [0.0]
        pending.append((0, 0, samples.count, 0))
        var candidates = Array(0..<x.columns)
        var order: [(value: Double, sample: Int)] = []
        while let (node, start, end, depth) = pending.popLast() {
            var counts = [Double](repeating: 0, count: classCount)
            for s in samples[start..<end] { counts[labels[s]] += weights[s] }
            let total = counts.reduce(0, +)
            covers[node] = total
            let pure = counts.filter { $0 > 0 }.count <= 1
            var best: (feature: Int, threshold: Double, score: Double, split: Int)? = nil
            if !pure, depth < parameters.maxDepth, end - start >= 2 * parameters.minSamplesLeaf {
                let parentScore = counts.reduce(0) { $0 + $1 * $1 } / total
                // A partial Fisher–Yates shuffle picks maxFeatures distinct candidates.
                for k in 0..<min(parameters.maxFeatures, candidates.count) {
                    candidates.swapAt(k, Int.random(in: k..<candidates.count, using: &generator))
                    let feature = candidates[k]
                    order.removeAll(keepingCapacity: true)
                    for s in samples[start..<end] { order.append((x[s, feature], s)) }
                    order.sort { $0.value < $1.value }
                    guard order[0].value < order[order.count - 1].value else { continue }
                    var left = [Double](repeating: 0, count: classCount)
                    var leftWeight = 0.0
                    for i in 0..<(order.count - 1) {
                        let w = weights[order[i].sample]
                        left[labels[order[i].sample]] += w
                        leftWeight += w
                        let leftSize = i + 1
                        guard leftSize >= parameters.minSamplesLeaf, order.count - leftSize >= parameters.minSamplesLeaf,
                              order[i].value < order[i + 1].value else { continue }
                        let rightWeight = total - leftWeight
                        guard leftWeight > 0, rightWeight > 0 else { continue }
                        var leftSquares = 0.0, rightSquares = 0.0
                        for c in 0..<classCount {
                            leftSquares += left[c] * left[c]
                            let right = counts[c] - left[c]
                            rightSquares += right * right
                        }
                        // Maximising Σ wL²/WL + Σ wR²/WR minimises the children's weighted Gini.
                        let score = leftSquares / leftWeight + rightSquares / rightWeight
                        if score > (best?.score ?? parentScore + 1e-12) {
                            let threshold = (order[i].value + order[i + 1].value) / 2
                            best = (feature, threshold, score, leftSize)
                        }
                    }
                }
            }
            guard let best else {
                tree.nodes[node].leaf = tree.distributions.count
                tree.distributions.append(counts.map { $0 / total })
                continue
            }
            importances[best.feature] += best.score - counts.reduce(0) { $0 + $1 * $1 } / total
            // Partition samples[start..<end] around the threshold.
            var boundary = start
            for i in start..<end where x[samples[i], best.feature] <= best.threshold {
                samples.swapAt(i, boundary)
                boundary += 1
            }
            let left = tree.nodes.count
            tree.nodes.append(Node(feature: -1, threshold: 0, left: -1, right: -1, leaf: -1))
            tree.nodes.append(Node(feature: -1, threshold: 0, left: -1, right: -1, leaf: -1))
            covers += [0, 0]
            tree.nodes[node].feature = best.feature
            tree.nodes[node].threshold = best.threshold
            tree.nodes[node].left = left
            tree.nodes[node].right = left + 1
            pending.append((left + 1, boundary, end, depth + 1))
            pending.append((left, start, boundary, depth + 1))
        }
        tree.covers = covers
        return tree
    }

    /// The class probabilities of the leaf `row` falls into.
    public func distribution(_ row: [Double]) -> [Double] {
        var index = 0
        while nodes[index].feature >= 0 {
            let node = nodes[index]
            index = row[node.feature] <= node.threshold ? node.left : node.right
        }
        return distributions[nodes[index].leaf]
    }
}
