import Foundation

/// Multinomial logistic regression on sparse rows, fitted by stochastic gradient descent on
/// the cross-entropy with L2 regularisation (applied lazily through a scale factor, so a step
/// costs only the row's non-zeros), shuffled deterministically by `seed`.
public struct LogisticRegression: Codable, Sendable, Equatable {
    public struct Parameters: Codable, Sendable, Equatable {
        public var epochs: Int
        public var learningRate: Double
        public var l2: Double
        public var seed: UInt64

        enum CodingKeys: String, CodingKey { case epochs, learningRate = "learning_rate", l2, seed }

        public init(epochs: Int = 12, learningRate: Double = 0.5, l2: Double = 1e-5, seed: UInt64 = 1) {
            (self.epochs, self.learningRate, self.l2, self.seed) = (epochs, learningRate, l2, seed)
        }
    }

    public var parameters: Parameters
    public var classCount: Int
    public var featureCount: Int
    /// `weights[feature * classCount + class]`.
    public var weights: PackedFloats
    public var bias: [Double]

    enum CodingKeys: String, CodingKey { case parameters, classCount = "class_count", featureCount = "feature_count", weights, bias }

    public init(_ rows: [SparseVector], labels: [Int], classCount: Int, featureCount: Int, parameters: Parameters = Parameters()) {
        self.parameters = parameters
        self.classCount = classCount
        self.featureCount = featureCount
        var w = [Float](repeating: 0, count: featureCount * classCount)
        var b = [Double](repeating: 0, count: classCount)
        // The true weights are `scale * w`; shrinking `scale` applies L2 to all weights at once.
        var scale = 1.0
        var generator = SeededGenerator(seed: parameters.seed)
        var order = Array(rows.indices)
        var logits = [Float](repeating: 0, count: classCount)
        w.withUnsafeMutableBufferPointer { w in
            logits.withUnsafeMutableBufferPointer { logits in
                for epoch in 0..<parameters.epochs {
                    order.shuffle(using: &generator)
                    let rate = parameters.learningRate / (1 + Double(epoch))
                    for r in order {
                        let row = rows[r]
                        // Forward: the weights of one feature for every class are adjacent, so
                        // each of the row's features is one contiguous (vectorised) pass.
                        for c in 0..<classCount { logits[c] = Float(b[c]) }
                        for k in 0..<row.count {
                            let base = Int(row.indices[k]) * classCount
                            let x = row.values[k] * Float(scale)
                            for c in 0..<classCount { logits[c] += x * w[base + c] }
                        }
                        Softmax.normalizeInPlace(logits)
                        // Gradient of the cross-entropy: p - onehot, into `logits`.
                        logits[labels[r]] -= 1
                        scale *= 1 - rate * parameters.l2
                        if scale < 1e-6 {
                            let factor = Float(scale)
                            for i in w.indices { w[i] *= factor }
                            scale = 1
                        }
                        for c in 0..<classCount { b[c] -= rate * Double(logits[c]) }
                        let step = Float(rate / scale)
                        for k in 0..<row.count {
                            let base = Int(row.indices[k]) * classCount
                            let x = step * row.values[k]
                            for c in 0..<classCount { w[base + c] -= x * logits[c] }
                        }
                    }
                }
                let factor = Float(scale)
                for i in w.indices { w[i] *= factor }
            }
        }
        weights = PackedFloats(w)
        bias = b
    }

    public func probabilities(_ row: SparseVector) -> [Double] {
        Softmax.normalize(LinearScores.add(row, weights: weights.values, classCount: classCount, to: bias))
    }
}
