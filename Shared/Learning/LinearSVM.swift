import Foundation
import Synchronization

/// One-vs-rest linear support vector machines on sparse rows — L2-regularised squared hinge
/// loss, each class's fitted by dual coordinate descent with shrinking (the solver LIBLINEAR
/// and so scikit-learn's `LinearSVC` use) — with a bias feature, and probabilities from a
/// softmax of the margins times a fitted `scale` (one parameter, chosen on papers the machines
/// were not fitted on; it never changes which class wins).
///
/// Each class is one binary problem on its own weight vector, so classes are fitted in
/// parallel; most papers are far on the negative side of most classes and drop out of the
/// active set after an epoch or two, which is what makes 100,000 papers × 170 classes cheap.
public struct LinearSVM: Codable, Sendable, Equatable {
    public struct Parameters: Codable, Sendable, Equatable {
        /// C: the cost of a margin violation (scikit-learn's default is 1).
        public var cost: Double
        public var maxEpochs: Int
        /// Stop when the projected gradients span less than this (LIBLINEAR's ε).
        public var tolerance: Double
        public var seed: UInt64
        public var threads: Int
        /// Each example's C weighted by n / (k · n_class) of its own class, in every one-vs-rest
        /// problem (scikit-learn's `balanced` weights, applied to negatives too): a rare class's
        /// violations cost as much in all as a common one's, which is what macro-F1 asks.
        public var balanced: Bool

        enum CodingKeys: String, CodingKey { case cost, maxEpochs = "max_epochs", tolerance, seed, threads, balanced }

        public init(cost: Double = 0.5, maxEpochs: Int = 50, tolerance: Double = 0.1, seed: UInt64 = 1, threads: Int = 2, balanced: Bool = false) {
            (self.cost, self.maxEpochs, self.tolerance, self.seed, self.threads) = (cost, maxEpochs, tolerance, seed, threads)
            self.balanced = balanced
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            cost = try container.decode(Double.self, forKey: .cost)
            maxEpochs = try container.decode(Int.self, forKey: .maxEpochs)
            tolerance = try container.decode(Double.self, forKey: .tolerance)
            seed = try container.decode(UInt64.self, forKey: .seed)
            threads = try container.decode(Int.self, forKey: .threads)
            balanced = try container.decodeIfPresent(Bool.self, forKey: .balanced) ?? false
        }
    }

    public var parameters: Parameters
    public var classCount: Int
    public var featureCount: Int
    /// `weights[feature * classCount + class]`.
    public var weights: PackedFloats
    public var bias: [Double]
    /// Probabilities are softmax(scale × margins + offsets).
    public var scale: Double
    /// Per-class decision offsets fitted for macro-F1 (`DecisionOffsets`); nil: none (and in
    /// models stored before they were fitted).
    public var offsets: [Double]?

    enum CodingKeys: String, CodingKey { case parameters, classCount = "class_count", featureCount = "feature_count", weights, bias, scale, offsets }

    /// `leftOut[c]`: the rows that are neither positive nor negative examples of class `c` (row
    /// indices, any order), such as papers of another primary category cross-listed to `c`,
    /// which are about `c` without being its papers. Nil or empty: every row is one or the other.
    /// `weights[i]`: row `i`'s C is multiplied by it (nil: 1 for every row).
    public init(
        _ rows: [SparseVector], labels: [Int], classCount: Int, featureCount: Int, parameters: Parameters = Parameters(), leftOut: [[Int32]]? = nil,
        weights: [Double]? = nil
    ) {
        self = Self.fit(
            rows, labels: labels, classCount: classCount, featureCount: featureCount, parameters: parameters, leftOut: leftOut, weights: weights, start: nil,
            keepDuals: false
        ).machines
    }

    /// Machines fitted on all `rows`, whose probability scale (and, with `decisionOffsets`, their
    /// per-class offsets) was fitted on the newest `calibrationFraction` of them (the last rows)
    /// by machines fitted on the rest. The second fit starts from the first's dual solution — its
    /// examples' α, the new ones' at 0, which is the first's weights — so it costs a fraction of
    /// a fit from nothing.
    public static func calibrated(
        _ rows: [SparseVector], labels: [Int], classCount: Int, featureCount: Int, parameters: Parameters = Parameters(), calibrationFraction: Double = 0.1,
        decisionOffsets: DecisionOffsets.Parameters? = nil, calibrationTolerance: Double = 1.0, leftOut: [[Int32]]? = nil, weights: [Double]? = nil
    ) -> LinearSVM {
        let inner = Int(Double(rows.count) * (1 - calibrationFraction))
        guard inner > 0, inner < rows.count else {
            return LinearSVM(rows, labels: labels, classCount: classCount, featureCount: featureCount, parameters: parameters, leftOut: leftOut, weights: weights)
        }
        // The first fit's margins only calibrate, and the second fit converges to the full
        // tolerance from wherever it starts: the first stops sooner. On the corpus's categories
        // ε 1.0 took the session from 56 s to 36 s, macro-F1 0.426 → 0.433 (ε 0.3: 0.430).
        var calibrating = parameters
        calibrating.tolerance = max(parameters.tolerance, calibrationTolerance)
        var first = fit(
            Array(rows[..<inner]), labels: Array(labels[..<inner]), classCount: classCount, featureCount: featureCount, parameters: calibrating,
            leftOut: leftOut?.map { $0.filter { Int($0) < inner } }, weights: weights.map { Array($0[..<inner]) }, start: nil, keepDuals: true)
        let (slice, sliceLabels) = (Array(rows[inner...]), Array(labels[inner...]))
        first.machines.calibrate(slice, labels: sliceLabels)
        var all = fit(
            rows, labels: labels, classCount: classCount, featureCount: featureCount, parameters: parameters, leftOut: leftOut, weights: weights,
            start: first.duals, keepDuals: false
        ).machines
        all.scale = first.machines.scale
        if let decisionOffsets {
            let scores = slice.map { first.machines.margins($0).map { $0 * first.machines.scale } }
            all.offsets = DecisionOffsets.fitBagged(scores: scores, truth: sliceLabels, classCount: classCount, parameters: decisionOffsets)
        }
        return all
    }

    /// One class's non-zero dual variables: α of row `rows[k]` is `values[k]`. Most rows end
    /// with α = 0 (outside the margin), so this is a small part of a dense vector's size.
    struct Duals: Sendable {
        var rows: [Int32] = []
        var values: [Float] = []
    }

    /// Fitted machines and, when asked for, each class's dual variables (for a warm start).
    struct Fit {
        var machines: LinearSVM
        var duals: [Duals]
    }

    /// `start`: each class's α for some of the rows (the rest start at 0).
    static func fit(
        _ rows: [SparseVector], labels: [Int], classCount: Int, featureCount: Int, parameters: Parameters, leftOut: [[Int32]]?, weights: [Double]?,
        start: [Duals]?, keepDuals: Bool
    ) -> Fit {
        let fitted = Mutex([(w: [Float], duals: Duals)?](repeating: nil, count: classCount))
        let next = Atomic<Int>(0)
        let threads = max(1, min(parameters.threads, classCount))
        var perClass = [Int](repeating: 0, count: classCount)
        for label in labels { perClass[label] += 1 }
        let costs: [Float] = labels.indices.map { i in
            let label = labels[i]
            let cost = parameters.balanced ? parameters.cost * Double(labels.count) / Double(classCount * perClass[label]) : parameters.cost
            return Float(cost * (weights?[i] ?? 1))
        }
        let block = SparseRows(rows)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let c = next.add(1, ordering: .relaxed).oldValue
                guard c < classCount else { return }
                let solution = Self.fitBinary(
                    block, positive: labels.map { $0 == c }, costs: costs, featureCount: featureCount, parameters: parameters,
                    seed: parameters.seed &+ UInt64(c), start: start?[c], leftOut: leftOut.flatMap { c < $0.count ? $0[c] : nil } ?? [])
                var duals = Duals()
                if keepDuals {
                    for (row, alpha) in solution.alpha.enumerated() where alpha > 0 {
                        duals.rows.append(Int32(row))
                        duals.values.append(alpha)
                    }
                }
                fitted.withLock { $0[c] = (solution.w, duals) }
            }
        }
        let solutions = fitted.withLock { $0.map { $0! } }
        var w = [Float](repeating: 0, count: featureCount * classCount)
        for c in 0..<classCount {
            for feature in 0..<featureCount { w[feature * classCount + c] = solutions[c].w[feature] }
        }
        let machines = LinearSVM(
            parameters: parameters, classCount: classCount, featureCount: featureCount,
            weights: PackedFloats(w), bias: solutions.map { Double($0.w[featureCount]) }, scale: 1)
        return Fit(machines: machines, duals: solutions.map(\.duals))
    }

    init(parameters: Parameters, classCount: Int, featureCount: Int, weights: PackedFloats, bias: [Double], scale: Double) {
        (self.parameters, self.classCount, self.featureCount, self.weights, self.bias, self.scale) = (parameters, classCount, featureCount, weights, bias, scale)
        offsets = nil
    }

    /// One class against the rest: the weights (the bias last) and the dual variables.
    static func fitBinary(
        _ rows: SparseRows, positive: [Bool], costs: [Float], featureCount: Int, parameters: Parameters, seed: UInt64, start: Duals? = nil,
        leftOut: [Int32] = []
    ) -> (w: [Float], alpha: [Float]) {
        rows.withView { rows in
            fitBinary(rows, positive: positive, costs: costs, featureCount: featureCount, parameters: parameters, seed: seed, start: start, leftOut: leftOut)
        }
    }

    private static func fitBinary(
        _ rows: SparseRows.View, positive: [Bool], costs: [Float], featureCount: Int, parameters: Parameters, seed: UInt64, start: Duals?,
        leftOut: [Int32]
    ) -> (w: [Float], alpha: [Float]) {
        var w = [Float](repeating: 0, count: featureCount + 1)
        let n = rows.count
        var alpha = [Float](repeating: 0, count: n)
        let (indices, values) = (rows.indices, rows.values)
        var member = [Bool](repeating: true, count: n)
        for row in leftOut where Int(row) < n && !positive[Int(row)] { member[Int(row)] = false }
        if let start {
            // w = Σ αᵢ yᵢ xᵢ (and the bias feature's 1) for the α carried over.
            for (row, value) in zip(start.rows, start.values) where Int(row) < n && value > 0 && member[Int(row)] {
                let i = Int(row)
                alpha[i] = value
                let step = positive[i] ? value : -value
                for k in rows.range(i) { w[Int(indices[k])] += step * values[k] }
                w[featureCount] += step
            }
        }
        // The squared hinge's dual adds 1/(2 C_i) to each example's diagonal.
        let diagonal = costs.map { 0.5 / $0 }
        let q = (0..<n).map { i in rows.range(i).reduce(Float(1)) { $0 + values[$1] * values[$1] } + diagonal[i] }
        // The problem's examples: every row but those left out of it (whose α stays 0).
        var order = (0..<n).filter { member[$0] }
        let members = order.count
        var generator = SeededGenerator(seed: seed)
        var active = members
        // The largest projected gradient of the last epoch: a zero-α example above it is shrunk.
        var oldMax = Float.infinity
        let tolerance = Float(parameters.tolerance)
        w.withUnsafeMutableBufferPointer { w in
            let biasIndex = featureCount
            for _ in 0..<parameters.maxEpochs {
                order[0..<active].shuffle(using: &generator)
                var newMax = -Float.infinity, newMin = Float.infinity
                var s = 0
                while s < active {
                    let i = order[s]
                    let range = rows.range(i)
                    let y: Float = positive[i] ? 1 : -1
                    var margin = w[biasIndex]
                    for k in range { margin += w[Int(indices[k])] * values[k] }
                    let gradient = y * margin - 1 + diagonal[i] * alpha[i]
                    var projected: Float = 0
                    if alpha[i] == 0 {
                        if gradient > oldMax {
                            // Comfortably outside the margin: out of the active set until the end.
                            active -= 1
                            order.swapAt(s, active)
                            continue
                        }
                        if gradient < 0 { projected = gradient }
                    } else {
                        projected = gradient
                    }
                    newMax = max(newMax, projected)
                    newMin = min(newMin, projected)
                    if abs(projected) > 1e-12 {
                        let updated = max(alpha[i] - gradient / q[i], 0)
                        let step = (updated - alpha[i]) * y
                        alpha[i] = updated
                        for k in range { w[Int(indices[k])] += step * values[k] }
                        w[biasIndex] += step
                    }
                    s += 1
                }
                if newMax - newMin <= tolerance {
                    // Converged on the active set: check every example once more before stopping.
                    if active == members { break }
                    active = members
                    oldMax = .infinity
                    continue
                }
                oldMax = newMax <= 0 ? .infinity : newMax
            }
        }
        return (w, alpha)
    }

    /// The margin of each class.
    public func margins(_ row: SparseVector) -> [Double] {
        LinearScores.add(row, weights: weights.values, classCount: classCount, to: bias)
    }

    public func probabilities(_ row: SparseVector) -> [Double] {
        let scaled = margins(row).map { $0 * scale }
        guard let offsets else { return Softmax.normalize(scaled) }
        return Softmax.normalize(zip(scaled, offsets).map(+))
    }

    /// Sets `scale` to minimise the log loss of these (held-out) rows' true classes.
    public mutating func calibrate(_ rows: [SparseVector], labels: [Int]) {
        guard !rows.isEmpty else { return }
        let margins = rows.map(self.margins)
        func loss(_ logScale: Double) -> Double {
            let scale = exp(logScale)
            var sum = 0.0
            for (row, label) in zip(margins, labels) {
                let top = row.max()! * scale
                let total = row.reduce(0) { $0 + exp($1 * scale - top) }
                sum -= row[label] * scale - top - log(total)
            }
            return sum / Double(rows.count)
        }
        // Over log scale in [ln 0.1, ln 1000]: the loss is unimodal in it.
        let (low, high) = GoldenSection.minimum(of: loss, in: log(0.1)...log(1000.0), iterations: 50)
        scale = exp((low + high) / 2)
    }
}
