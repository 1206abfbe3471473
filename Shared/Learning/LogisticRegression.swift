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
        var step = 0.0
        var logits = [Double](repeating: 0, count: classCount)
        w.withUnsafeMutableBufferPointer { w in
            for epoch in 0..<parameters.epochs {
                order.shuffle(using: &generator)
                let rate = parameters.learningRate / (1 + Double(epoch))
                for r in order {
                    step += 1
                    let row = rows[r]
                    for c in 0..<classCount { logits[c] = b[c] }
                    for (feature, value) in zip(row.indices, row.values) {
                        let base = Int(feature) * classCount
                        let x = Double(value) * scale
                        for c in 0..<classCount { logits[c] += x * Double(w[base + c]) }
                    }
                    let p = Softmax.normalize(logits)
                    scale *= 1 - rate * parameters.l2
                    if scale < 1e-6 {
                        for i in w.indices { w[i] = Float(Double(w[i]) * scale) }
                        scale = 1
                    }
                    for c in 0..<classCount {
                        let gradient = p[c] - (c == labels[r] ? 1 : 0)
                        b[c] -= rate * gradient
                        let update = rate * gradient / scale
                        for (feature, value) in zip(row.indices, row.values) {
                            w[Int(feature) * classCount + c] -= Float(update * Double(value))
                        }
                    }
                }
            }
            for i in w.indices { w[i] = Float(Double(w[i]) * scale) }
        }
        weights = PackedFloats(w)
        bias = b
    }

    public func probabilities(_ row: SparseVector) -> [Double] {
        var logits = bias
        weights.values.withUnsafeBufferPointer { w in
            for (feature, value) in zip(row.indices, row.values) {
                let base = Int(feature) * classCount
                for c in 0..<classCount { logits[c] += Double(value * w[base + c]) }
            }
        }
        return Softmax.normalize(logits)
    }
}
