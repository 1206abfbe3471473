import Foundation

/// Multinomial naive Bayes over TF-IDF features (as scikit-learn's `MultinomialNB` on a TF-IDF
/// matrix): per class, the smoothed share of each feature's total weight.
public struct NaiveBayes: Codable, Sendable, Equatable {
    public var classCount: Int
    public var featureCount: Int
    public var logPrior: [Double]
    /// `logLikelihood[feature * classCount + class]`.
    public var logLikelihood: PackedFloats

    enum CodingKeys: String, CodingKey {
        case classCount = "class_count", featureCount = "feature_count", logPrior = "log_prior", logLikelihood = "log_likelihood"
    }

    public init(_ rows: [SparseVector], labels: [Int], classCount: Int, featureCount: Int, alpha: Double = 0.1) {
        var totals = [Double](repeating: 0, count: featureCount * classCount)
        var classTotals = [Double](repeating: 0, count: classCount)
        var documents = [Double](repeating: 0, count: classCount)
        for (row, label) in zip(rows, labels) {
            documents[label] += 1
            for (feature, value) in zip(row.indices, row.values) {
                totals[Int(feature) * classCount + label] += Double(value)
                classTotals[label] += Double(value)
            }
        }
        let n = Double(rows.count)
        self.classCount = classCount
        self.featureCount = featureCount
        logPrior = documents.map { log(max($0, 0.5) / n) }
        var likelihood = [Float](repeating: 0, count: featureCount * classCount)
        for feature in 0..<featureCount {
            for c in 0..<classCount {
                likelihood[feature * classCount + c] = Float(log((totals[feature * classCount + c] + alpha) / (classTotals[c] + alpha * Double(featureCount))))
            }
        }
        logLikelihood = PackedFloats(likelihood)
    }

    public func probabilities(_ row: SparseVector) -> [Double] {
        Softmax.normalize(LinearScores.add(row, weights: logLikelihood.values, classCount: classCount, to: logPrior))
    }
}

enum Softmax {
    static func normalize(_ scores: [Double]) -> [Double] {
        let top = scores.max() ?? 0
        let exps = scores.map { exp($0 - top) }
        let sum = exps.reduce(0, +)
        return exps.map { $0 / sum }
    }

    static func normalizeInPlace(_ scores: UnsafeMutableBufferPointer<Float>) {
        var top = -Float.infinity
        for score in scores { top = max(top, score) }
        var sum: Float = 0
        for i in scores.indices {
            scores[i] = exp(scores[i] - top)
            sum += scores[i]
        }
        for i in scores.indices { scores[i] /= sum }
    }
}

/// `start + row · W` for a feature-major weight matrix (`weights[feature * classCount + class]`):
/// each of the row's features adds one contiguous run of class weights, in Float.
enum LinearScores {
    static func add(_ row: SparseVector, weights: [Float], classCount: Int, to start: [Double]) -> [Double] {
        var sums = [Float](repeating: 0, count: classCount)
        sums.withUnsafeMutableBufferPointer { sums in
            weights.withUnsafeBufferPointer { w in
                for k in 0..<row.count {
                    let base = Int(row.indices[k]) * classCount
                    let x = row.values[k]
                    for c in 0..<classCount { sums[c] += x * w[base + c] }
                }
            }
        }
        return zip(start, sums).map { $0 + Double($1) }
    }
}
