/// Exact SHAP values of tree ensembles (Lundberg, Erion & Lee 2018, "Consistent individualized
/// feature attribution for tree ensembles", algorithm 2): each feature's contribution to one
/// prediction, such that the contributions plus the model's expected value add up to the
/// prediction. A feature left out of a coalition is integrated out along the tree's own
/// training covers (path-dependent), so no background data is needed. Polynomial: O(L·D²)
/// per tree for L leaves and depth D, where enumerating coalitions is exponential.
/// A tree TreeSHAP can walk: its splits, each node's training cover, and its leaves' values
/// for one output (a class's probability for a forest's tree, the margin for a boosted one).
public protocol CoveredTree {
    /// The split at `node`, or nil for a leaf. Rows with `value <= threshold` go left.
    func split(_ node: Int) -> (feature: Int, threshold: Double, left: Int, right: Int)?
    /// The training weight that reached `node`.
    func cover(_ node: Int) -> Double
    func leafValue(_ node: Int, output: Int) -> Double
}

public enum TreeSHAP {
    /// One step of the path of unique features from the root to the current node.
    private struct PathElement {
        var feature: Int
        /// Share of the cover that reaches here when the feature is unknown.
        var zeroFraction: Double
        /// 1 when the row's own value leads here, else 0.
        var oneFraction: Double
        /// Permutation weight of subsets of this size.
        var weight: Double
    }

    /// The contributions of each of `featureCount` features to `tree.value(row)`, added to
    /// `phi`; returns the tree's expected value (its cover-weighted mean leaf value).
    @discardableResult
    public static func accumulate(_ tree: some CoveredTree, output: Int, row: [Double], into phi: inout [Double]) -> Double {
        // The paths of every depth live in one buffer, each level's copy after its parent's
        // (as in the reference implementation): no allocation per node.
        let depth = maximumDepth(tree)
        var buffer = [PathElement](repeating: PathElement(feature: -1, zeroFraction: 0, oneFraction: 0, weight: 0), count: (depth + 2) * (depth + 3) / 2)
        buffer.withUnsafeMutableBufferPointer { buffer in
            phi.withUnsafeMutableBufferPointer { phi in
                recurse(tree, output: output, row: row, node: 0, buffer: buffer, parent: 0, depth: 0, zeroFraction: 1, oneFraction: 1, feature: -1, phi: phi)
            }
        }
        return expectedValue(tree, output: output, node: 0)
    }

    /// The cover-weighted mean of the leaf values under `node`.
    public static func expectedValue(_ tree: some CoveredTree, output: Int, node: Int) -> Double {
        guard let split = tree.split(node) else { return tree.leafValue(node, output: output) }
        let left = tree.cover(split.left), right = tree.cover(split.right)
        guard left + right > 0 else { return 0.5 * (expectedValue(tree, output: output, node: split.left) + expectedValue(tree, output: output, node: split.right)) }
        return (left * expectedValue(tree, output: output, node: split.left) + right * expectedValue(tree, output: output, node: split.right)) / (left + right)
    }

    static func maximumDepth(_ tree: some CoveredTree) -> Int {
        var deepest = 0
        var pending = [(node: 0, depth: 0)]
        while let (node, depth) = pending.popLast() {
            deepest = max(deepest, depth)
            if let split = tree.split(node) { pending += [(split.left, depth + 1), (split.right, depth + 1)] }
        }
        return deepest
    }

    /// `node`'s path is the parent's (at `parent`, elements 0…depth−1) copied to just after it
    /// and extended with the split that led here; elements 0…depth are then valid.
    private static func recurse(
        _ tree: some CoveredTree, output: Int, row: [Double], node: Int, buffer: UnsafeMutableBufferPointer<PathElement>, parent: Int, depth: Int,
        zeroFraction: Double, oneFraction: Double, feature: Int, phi: UnsafeMutableBufferPointer<Double>
    ) {
        let start = parent + depth
        for i in 0..<depth { buffer[start + i] = buffer[parent + i] }
        let path = UnsafeMutableBufferPointer(rebasing: buffer[start...])
        extend(path, depth: depth, zeroFraction: zeroFraction, oneFraction: oneFraction, feature: feature)
        guard let split = tree.split(node) else {
            let value = tree.leafValue(node, output: output)
            // Element 0 is the root's placeholder, not a feature.
            for i in stride(from: 1, through: depth, by: 1) {
                let element = path[i]
                phi[element.feature] += unwoundSum(path, depth: depth, index: i) * (element.oneFraction - element.zeroFraction) * value
            }
            return
        }
        let goesLeft = row[split.feature] <= split.threshold
        let (hot, cold) = goesLeft ? (split.left, split.right) : (split.right, split.left)
        let cover = tree.cover(hot) + tree.cover(cold)
        var incomingZero = 1.0, incomingOne = 1.0
        var depth = depth
        // A feature already on the path is unwound and entered again with both splits' fractions.
        if let k = (1..<(depth + 1)).first(where: { path[$0].feature == split.feature }) {
            incomingZero = path[k].zeroFraction
            incomingOne = path[k].oneFraction
            unwind(path, depth: depth, index: k)
            depth -= 1
        }
        let hotShare = cover > 0 ? tree.cover(hot) / cover : 0.5
        let coldShare = cover > 0 ? tree.cover(cold) / cover : 0.5
        recurse(tree, output: output, row: row, node: hot, buffer: buffer, parent: start, depth: depth + 1,
                zeroFraction: hotShare * incomingZero, oneFraction: incomingOne, feature: split.feature, phi: phi)
        recurse(tree, output: output, row: row, node: cold, buffer: buffer, parent: start, depth: depth + 1,
                zeroFraction: coldShare * incomingZero, oneFraction: 0, feature: split.feature, phi: phi)
    }

    /// Adds element `depth` (the split into this node) to the path's permutation weights.
    private static func extend(_ path: UnsafeMutableBufferPointer<PathElement>, depth: Int, zeroFraction: Double, oneFraction: Double, feature: Int) {
        path[depth] = PathElement(feature: feature, zeroFraction: zeroFraction, oneFraction: oneFraction, weight: depth == 0 ? 1 : 0)
        for i in stride(from: depth - 1, through: 0, by: -1) {
            path[i + 1].weight += oneFraction * path[i].weight * Double(i + 1) / Double(depth + 1)
            path[i].weight = zeroFraction * path[i].weight * Double(depth - i) / Double(depth + 1)
        }
    }

    /// Takes element `index` out of a path of elements 0…depth again (the inverse of `extend`).
    private static func unwind(_ path: UnsafeMutableBufferPointer<PathElement>, depth: Int, index: Int) {
        let one = path[index].oneFraction, zero = path[index].zeroFraction
        var next = path[depth].weight
        for i in stride(from: depth - 1, through: 0, by: -1) {
            if one != 0 {
                let kept = path[i].weight
                path[i].weight = next * Double(depth + 1) / (Double(i + 1) * one)
                next = kept - path[i].weight * zero * Double(depth - i) / Double(depth + 1)
            } else {
                path[i].weight = path[i].weight * Double(depth + 1) / (zero * Double(depth - i))
            }
        }
        for i in index..<depth {
            path[i].feature = path[i + 1].feature
            path[i].zeroFraction = path[i + 1].zeroFraction
            path[i].oneFraction = path[i + 1].oneFraction
        }
    }

    /// The total permutation weight of the path (elements 0…depth) if element `index` were unwound.
    private static func unwoundSum(_ path: UnsafeMutableBufferPointer<PathElement>, depth: Int, index: Int) -> Double {
        let one = path[index].oneFraction, zero = path[index].zeroFraction
        var next = path[depth].weight, total = 0.0
        if one != 0 {
            for i in stride(from: depth - 1, through: 0, by: -1) {
                let share = next / (Double(i + 1) * one)
                total += share
                next = path[i].weight - share * zero * Double(depth - i)
            }
        } else {
            for i in stride(from: depth - 1, through: 0, by: -1) {
                total += path[i].weight / (zero * Double(depth - i))
            }
        }
        return total * Double(depth + 1)
    }
}

extension RegressionTree: CoveredTree {
    public func split(_ node: Int) -> (feature: Int, threshold: Double, left: Int, right: Int)? {
        let n = nodes[node]
        return n.isLeaf ? nil : (n.feature, n.threshold, n.left, n.right)
    }

    public func cover(_ node: Int) -> Double { nodes[node].cover }
    public func leafValue(_ node: Int, output: Int) -> Double { nodes[node].value }
}

extension DecisionTree: CoveredTree {
    public func split(_ node: Int) -> (feature: Int, threshold: Double, left: Int, right: Int)? {
        let n = nodes[node]
        return n.feature < 0 ? nil : (n.feature, n.threshold, n.left, n.right)
    }

    /// Trees grown before covers were kept count every node alike (explanations then weigh
    /// both sides of a split equally).
    public func cover(_ node: Int) -> Double { covers?[node] ?? 1 }
    public func leafValue(_ node: Int, output: Int) -> Double { distributions[nodes[node].leaf][output] }
}

extension RandomForest {
    /// Exact SHAP values of every feature for the probability of class `output` (the trees'
    /// average vote, before calibration), and the base value they add to.
    public func contributions(_ row: [Double], output: Int) -> (base: Double, phi: [Double]) {
        var phi = [Double](repeating: 0, count: row.count)
        var base = 0.0
        for tree in trees { base += TreeSHAP.accumulate(tree, output: output, row: row, into: &phi) }
        let n = Double(trees.count)
        return (base / n, phi.map { $0 / n })
    }
}

/// One feature's signed share of a prediction.
public struct FeatureContribution: Codable, Sendable, Equatable {
    public var feature: String
    /// The feature's value in the explained row (after missing values were filled).
    public var value: Double
    /// Its SHAP value: what it added to the explained output (a class's log-odds margin for
    /// boosted trees, its vote share for a forest).
    public var contribution: Double

    public init(feature: String, value: Double, contribution: Double) {
        (self.feature, self.value, self.contribution) = (feature, value, contribution)
    }
}

extension GradientBoostedTrees {
    /// Exact SHAP values of every feature for margin `output` (the class for softmax, 0 for
    /// regression) of `row`, and the base value they add to: `base + Σ phi == margins(row)[output]`.
    public func contributions(_ row: [Double], output: Int) -> (base: Double, phi: [Double]) {
        var phi = [Double](repeating: 0, count: row.count)
        var base = baseScores[output]
        for index in stride(from: output, to: trees.count, by: outputs) {
            base += TreeSHAP.accumulate(trees[index], output: 0, row: row, into: &phi)
        }
        return (base, phi)
    }
}
