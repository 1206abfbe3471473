import Foundation

/// How well predictions match the truth: the measures a reader compares models by.
public struct ClassificationReport: Codable, Sendable, Equatable {
    public struct ClassMetrics: Codable, Sendable, Equatable {
        public var label: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Rows whose true class is this one.
        public var support: Int
    }

    /// One bin of the reliability diagram: rows whose top probability fell in `lower..<upper`.
    public struct ReliabilityBin: Codable, Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var count: Int
        /// Mean top probability of the bin's rows, and the share of them predicted right.
        public var meanConfidence: Double
        public var accuracy: Double
        enum CodingKeys: String, CodingKey { case lower, upper, count, meanConfidence = "mean_confidence", accuracy }
    }

    public var samples: Int
    public var accuracy: Double
    /// Mean recall over the classes present in the truth: accuracy that a majority class cannot inflate.
    public var balancedAccuracy: Double
    /// Mean F1 over the classes present in the truth or the predictions.
    public var macroF1: Double
    /// Top-label expected calibration error over 10 equal-width confidence bins.
    public var expectedCalibrationError: Double
    /// Mean over rows of Σ (p_c − y_c)².
    public var brierScore: Double
    /// Share of rows whose true class is among the 3 most probable.
    public var top3Accuracy: Double
    public var classes: [ClassMetrics]
    /// `confusion[true][predicted]`, rows and columns in `labels` order.
    public var labels: [String]
    public var confusion: [[Int]]
    /// The 10 bins the calibration error is measured over (absent in reports made before it was kept).
    public var reliability: [ReliabilityBin]?

    enum CodingKeys: String, CodingKey {
        case samples, accuracy, balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1",
             expectedCalibrationError = "expected_calibration_error", brierScore = "brier_score", top3Accuracy = "top3_accuracy",
             classes, labels, confusion, reliability
    }

    /// - Parameters:
    ///   - truth: true class indices into `labels`.
    ///   - probabilities: one probability vector per row, over `labels`.
    public init(labels: [String], truth: [Int], probabilities: [[Double]]) {
        precondition(truth.count == probabilities.count)
        let k = labels.count
        self.labels = labels
        samples = truth.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        var brier = 0.0, top3 = 0
        var binCount = [Int](repeating: 0, count: 10), binConfidence = [Double](repeating: 0, count: 10), binCorrect = [Int](repeating: 0, count: 10)
        for (row, p) in probabilities.enumerated() {
            let predicted = Self.argmax(p)
            confusion[truth[row]][predicted] += 1
            for c in 0..<k { let y = c == truth[row] ? 1.0 : 0.0; brier += (p[c] - y) * (p[c] - y) }
            let ranked = p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
            if ranked.prefix(3).contains(truth[row]) { top3 += 1 }
            let bin = min(9, Int(p[predicted] * 10))
            binCount[bin] += 1
            binConfidence[bin] += p[predicted]
            if predicted == truth[row] { binCorrect[bin] += 1 }
        }
        self.confusion = confusion
        let n = Double(max(samples, 1))
        accuracy = Double((0..<k).reduce(0) { $0 + confusion[$1][$1] }) / n
        brierScore = brier / n
        top3Accuracy = Double(top3) / n
        expectedCalibrationError = (0..<10).reduce(0.0) { sum, bin in
            guard binCount[bin] > 0 else { return sum }
            let count = Double(binCount[bin])
            return sum + count / n * abs(Double(binCorrect[bin]) / count - binConfidence[bin] / count)
        }
        reliability = (0..<10).map { bin in
            let count = binCount[bin]
            return ReliabilityBin(
                lower: Double(bin) / 10, upper: Double(bin + 1) / 10, count: count,
                meanConfidence: count > 0 ? binConfidence[bin] / Double(count) : 0, accuracy: count > 0 ? Double(binCorrect[bin]) / Double(count) : 0)
        }
        let classes = (0..<k).map { c in
            let support = confusion[c].reduce(0, +)
            let predicted = (0..<k).reduce(0) { $0 + confusion[$1][c] }
            let precision = predicted > 0 ? Double(confusion[c][c]) / Double(predicted) : 0
            let recall = support > 0 ? Double(confusion[c][c]) / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            return ClassMetrics(label: labels[c], precision: precision, recall: recall, f1: f1, support: support)
        }
        self.classes = classes
        let present = classes.filter { $0.support > 0 }
        balancedAccuracy = present.isEmpty ? 0 : present.map(\.recall).reduce(0, +) / Double(present.count)
        let scored = (0..<k).filter { c in classes[c].support > 0 || (0..<k).contains { confusion[$0][c] > 0 } }
        macroF1 = scored.isEmpty ? 0 : scored.map { classes[$0].f1 }.reduce(0, +) / Double(scored.count)
    }

    /// The index of the largest value (the first on ties).
    public static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }

    /// The confusion matrix as aligned text, truth down, prediction across.
    public var confusionTable: String {
        let width = max(6, (labels.map(\.count) + confusion.flatMap { $0 }.map { String($0).count }).max() ?? 6) + 1
        func pad(_ s: String) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
        var lines = [pad("true\\pred") + labels.map(pad).joined()]
        for (row, label) in labels.enumerated() {
            lines.append(pad(label) + confusion[row].map { pad(String($0)) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
