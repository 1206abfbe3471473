/// A random forest of CART trees: bootstrap samples, √features tried per split, class
/// probabilities averaged over trees. Deterministic: tree `i` draws from its own stream of
/// the seed, so the same data and seed give the same forest.
public struct RandomForest: Codable, Sendable, Equatable {
    public struct Parameters: Codable, Sendable, Equatable {
        public var trees: Int
        public var maxDepth: Int
        public var minSamplesLeaf: Int
        /// Features tried per split; nil: √(feature count).
        public var maxFeatures: Int?
        /// Weight each class by n / (k · n_class) so that rare classes count as much as common ones.
        public var balanced: Bool
        public var seed: UInt64

        enum CodingKeys: String, CodingKey {
            case trees, maxDepth = "max_depth", minSamplesLeaf = "min_samples_leaf", maxFeatures = "max_features", balanced, seed
        }

        public init(trees: Int = 200, maxDepth: Int = 20, minSamplesLeaf: Int = 1, maxFeatures: Int? = nil, balanced: Bool = true, seed: UInt64 = 1) {
            (self.trees, self.maxDepth, self.minSamplesLeaf, self.maxFeatures, self.balanced, self.seed) =
                (trees, maxDepth, minSamplesLeaf, maxFeatures, balanced, seed)
        }
    }

    public var parameters: Parameters
    public var classCount: Int
    public var trees: [DecisionTree]
    /// Mean decrease in Gini impurity per feature, normalised to sum to 1.
    public var importances: [Double]

    /// Trains on `x` with labels in `0..<classCount`.
    public init(_ x: FeatureMatrix, labels: [Int], classCount: Int, parameters: Parameters = Parameters()) {
        self = Self.trainWithOutOfBag(x, labels: labels, classCount: classCount, parameters: parameters).forest
    }

    /// Trains, and also returns each training row's out-of-bag probabilities: the average over
    /// the trees whose bootstrap sample left the row out (nil if every tree drew it). They are
    /// honest predictions on the training data, for calibrating without a separate split.
    public static func trainWithOutOfBag(
        _ x: FeatureMatrix, labels: [Int], classCount: Int, parameters: Parameters = Parameters()
    ) -> (forest: RandomForest, outOfBag: [[Double]?]) {
        precondition(x.rows == labels.count && x.rows > 0, "need one label per row and at least one row")
        var classWeights = [Double](repeating: 1, count: classCount)
        if parameters.balanced {
            var counts = [Double](repeating: 0, count: classCount)
            for label in labels { counts[label] += 1 }
            let present = Double(counts.filter { $0 > 0 }.count)
            classWeights = counts.map { $0 > 0 ? Double(labels.count) / (present * $0) : 0 }
        }
        let treeParameters = DecisionTree.Parameters(
            maxDepth: parameters.maxDepth, minSamplesLeaf: parameters.minSamplesLeaf,
            maxFeatures: parameters.maxFeatures ?? max(1, Int(Double(x.columns).squareRoot().rounded())))
        var importances = [Double](repeating: 0, count: x.columns)
        var outOfBagSums = [[Double]](repeating: [Double](repeating: 0, count: classCount), count: x.rows)
        var outOfBagTrees = [Int](repeating: 0, count: x.rows)
        let trees = (0..<parameters.trees).map { index in
            var generator = SeededGenerator(seed: parameters.seed, stream: index)
            // Bootstrap as multiplicities: a sample drawn k times weighs k.
            var weights = [Double](repeating: 0, count: x.rows)
            for _ in 0..<x.rows { weights[Int.random(in: 0..<x.rows, using: &generator)] += 1 }
            let left = (0..<x.rows).filter { weights[$0] == 0 }
            for row in 0..<x.rows { weights[row] *= classWeights[labels[row]] }
            let tree = DecisionTree.grow(
                x, labels: labels, classCount: classCount, weights: weights, parameters: treeParameters,
                generator: &generator, importances: &importances)
            for row in left {
                let distribution = tree.distribution(x.row(row))
                for c in 0..<classCount { outOfBagSums[row][c] += distribution[c] }
                outOfBagTrees[row] += 1
            }
            return tree
        }
        let total = importances.reduce(0, +)
        let forest = RandomForest(
            parameters: parameters, classCount: classCount, trees: trees,
            importances: total > 0 ? importances.map { $0 / total } : importances)
        let outOfBag = (0..<x.rows).map { row in
            outOfBagTrees[row] > 0 ? outOfBagSums[row].map { $0 / Double(outOfBagTrees[row]) } : nil
        }
        return (forest, outOfBag)
    }

    private init(parameters: Parameters, classCount: Int, trees: [DecisionTree], importances: [Double]) {
        (self.parameters, self.classCount, self.trees, self.importances) = (parameters, classCount, trees, importances)
    }

    /// Class probabilities for one row of features.
    public func probabilities(_ row: [Double]) -> [Double] {
        var sum = [Double](repeating: 0, count: classCount)
        for tree in trees {
            let distribution = tree.distribution(row)
            for c in 0..<classCount { sum[c] += distribution[c] }
        }
        let n = Double(trees.count)
        return sum.map { $0 / n }
    }
}
