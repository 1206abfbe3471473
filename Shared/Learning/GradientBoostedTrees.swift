import Foundation
import Synchronization

/// Gradient-boosted regression trees, histogram-based (as XGBoost's `hist` and LightGBM):
/// a softmax classifier (one tree per class and round, on the multinomial log-loss's
/// gradients and hessians) or a squared-error regressor (one tree per round). Deterministic:
/// round `r` draws its rows and features from its own stream of the seed, and a round's
/// class trees, grown side by side, depend only on the margins before the round.
public struct GradientBoostedTrees: Codable, Sendable, Equatable {
    public struct Parameters: Codable, Sendable, Equatable {
        public var rounds: Int
        public var learningRate: Double
        public var maxDepth: Int
        public var minChildWeight: Double
        public var lambda: Double
        public var maxBins: Int
        /// Share of rows drawn (without replacement) for each round.
        public var subsample: Double
        /// Share of features tried by each tree.
        public var featureFraction: Double
        /// Weight each class by n / (k · n_class) (classification only).
        public var balanced: Bool
        public var seed: UInt64

        enum CodingKeys: String, CodingKey {
            case rounds, learningRate = "learning_rate", maxDepth = "max_depth", minChildWeight = "min_child_weight", lambda,
                 maxBins = "max_bins", subsample, featureFraction = "feature_fraction", balanced, seed
        }

        public init(
            rounds: Int = 150, learningRate: Double = 0.1, maxDepth: Int = 5, minChildWeight: Double = 1, lambda: Double = 1,
            maxBins: Int = 128, subsample: Double = 0.8, featureFraction: Double = 0.8, balanced: Bool = true, seed: UInt64 = 1
        ) {
            (self.rounds, self.learningRate, self.maxDepth, self.minChildWeight, self.lambda) = (rounds, learningRate, maxDepth, minChildWeight, lambda)
            (self.maxBins, self.subsample, self.featureFraction, self.balanced, self.seed) = (maxBins, subsample, featureFraction, balanced, seed)
        }
    }

    public enum Objective: String, Codable, Sendable {
        /// Classes `0..<outputs`, probabilities by softmax of the margins.
        case softmax
        /// One real target.
        case squaredError = "squared_error"
    }

    public var parameters: Parameters
    public var objective: Objective
    /// Margins per row: the class count for softmax, 1 for regression.
    public var outputs: Int
    /// The margins before any tree (log class priors; the target mean).
    public var baseScores: [Double]
    /// Round by round, `outputs` trees each: `trees[round * outputs + output]`.
    public var trees: [RegressionTree]
    /// Total split gain per feature, normalised to sum to 1.
    public var importances: [Double]

    /// A classifier of `labels` in `0..<classCount`.
    public static func classifier(_ x: FeatureMatrix, labels: [Int], classCount: Int, parameters: Parameters = Parameters()) -> Self {
        precondition(x.rows == labels.count && x.rows > 0 && classCount >= 2, "need one label per row, a row and two classes")
        var counts = [Double](repeating: 0, count: classCount)
        for label in labels { counts[label] += 1 }
        let present = Double(counts.filter { $0 > 0 }.count)
        let weights = parameters.balanced ? labels.map { Double(x.rows) / (present * counts[$0]) } : [Double](repeating: 1, count: x.rows)
        var priors = [Double](repeating: 0, count: classCount)
        for (label, weight) in zip(labels, weights) { priors[label] += weight }
        let total = priors.reduce(0, +)
        // A class absent from the rows starts far below the others rather than at log 0.
        let base = priors.map { $0 > 0 ? log($0 / total) : -10 }
        return fit(x, objective: .softmax, outputs: classCount, base: base, parameters: parameters) { margins, output, gradients, hessians in
            for row in 0..<x.rows {
                let p = Self.softmax(margins, row: row, outputs: classCount)[output]
                let y = labels[row] == output ? 1.0 : 0.0
                gradients[row] = weights[row] * (p - y)
                hessians[row] = max(weights[row] * p * (1 - p), 1e-12)
            }
        }
    }

    /// A regressor of `targets` under squared error.
    public static func regressor(_ x: FeatureMatrix, targets: [Double], parameters: Parameters = Parameters()) -> Self {
        precondition(x.rows == targets.count && x.rows > 0, "need one target per row and a row")
        let mean = targets.reduce(0, +) / Double(targets.count)
        return fit(x, objective: .squaredError, outputs: 1, base: [mean], parameters: parameters) { margins, _, gradients, hessians in
            for row in 0..<x.rows {
                gradients[row] = margins[row] - targets[row]
                hessians[row] = 1
            }
        }
    }

    /// The boosting loop shared by both objectives: `derivatives(margins, output, &g, &h)`
    /// fills each row's gradient and hessian of the loss for one output at the current margins
    /// (`margins[row * outputs + output]`).
    private static func fit(
        _ x: FeatureMatrix, objective: Objective, outputs: Int, base: [Double], parameters: Parameters,
        derivatives: @Sendable ([Double], Int, inout [Double], inout [Double]) -> Void
    ) -> Self {
        let bins = FeatureBins(x, maxBins: parameters.maxBins)
        let grower = HistogramTreeGrower(
            bins: bins, binned: bins.binned(x), rows: x.rows,
            settings: .init(maxDepth: parameters.maxDepth, minChildWeight: parameters.minChildWeight, lambda: parameters.lambda, shrinkage: parameters.learningRate))
        var margins = [Double](repeating: 0, count: x.rows * outputs)
        for row in 0..<x.rows { for output in 0..<outputs { margins[row * outputs + output] = base[output] } }
        var trees: [RegressionTree] = []
        var gains = [Double](repeating: 0, count: x.columns)
        let sampleCount = max(1, Int((Double(x.rows) * min(1, parameters.subsample)).rounded()))
        let featureCount = max(1, Int((Double(x.columns) * min(1, parameters.featureFraction)).rounded()))
        for round in 0..<parameters.rounds {
            var generator = SeededGenerator(seed: parameters.seed, stream: round)
            let samples = sampleCount == x.rows ? Array(0..<x.rows) : Self.draw(sampleCount, of: x.rows, using: &generator)
            let featureDraws = (0..<outputs).map { _ in Self.draw(featureCount, of: x.columns, using: &generator) }
            let grown = Mutex([(tree: RegressionTree, gains: [Double])?](repeating: nil, count: outputs))
            let before = margins
            DispatchQueue.concurrentPerform(iterations: outputs) { output in
                var gradients = [Double](repeating: 0, count: x.rows), hessians = gradients
                derivatives(before, output, &gradients, &hessians)
                var treeGains = [Double](repeating: 0, count: x.columns)
                let tree = grower.grow(gradients: gradients, hessians: hessians, samples: samples, features: featureDraws[output], gains: &treeGains)
                grown.withLock { $0[output] = (tree, treeGains) }
            }
            for (output, result) in grown.withLock({ $0 }).enumerated() {
                guard let result else { continue }
                trees.append(result.tree)
                for feature in 0..<x.columns { gains[feature] += result.gains[feature] }
                for row in 0..<x.rows { margins[row * outputs + output] += result.tree.value(x, row: row) }
            }
        }
        let total = gains.reduce(0, +)
        return Self(
            parameters: parameters, objective: objective, outputs: outputs, baseScores: base, trees: trees,
            importances: total > 0 ? gains.map { $0 / total } : gains)
    }

    /// `count` distinct indices of `0..<n`, ascending (a partial Fisher–Yates shuffle).
    private static func draw(_ count: Int, of n: Int, using generator: inout SeededGenerator) -> [Int] {
        var all = Array(0..<n)
        for k in 0..<min(count, n) { all.swapAt(k, Int.random(in: k..<n, using: &generator)) }
        return all.prefix(count).sorted()
    }

    private static func softmax(_ margins: [Double], row: Int, outputs: Int) -> [Double] {
        let slice = margins[(row * outputs)..<((row + 1) * outputs)]
        let top = slice.max() ?? 0
        let exponentials = slice.map { exp($0 - top) }
        let sum = exponentials.reduce(0, +)
        return exponentials.map { $0 / sum }
    }

    /// The raw margins of one row (log-odds scale for softmax).
    public func margins(_ row: [Double]) -> [Double] {
        var margins = baseScores
        for (index, tree) in trees.enumerated() { margins[index % outputs] += tree.value(row) }
        return margins
    }

    /// Class probabilities (softmax objective).
    public func probabilities(_ row: [Double]) -> [Double] {
        Self.softmax(margins(row), row: 0, outputs: outputs)
    }

    /// The prediction of a regressor.
    public func predict(_ row: [Double]) -> Double {
        margins(row)[0]
    }
}
