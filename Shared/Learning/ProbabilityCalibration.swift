import Foundation

/// Power scaling of class probabilities, q_k ∝ p_k^a: temperature scaling for a model whose
/// outputs are probabilities (a forest's vote shares). One parameter, fitted by minimising the
/// log loss of honest predictions (out-of-bag), so it cannot overfit much; it never changes
/// which class is most probable, only how sure the model says it is. A forest's averaged votes
/// are usually too timid (a > 1 sharpens them).
public enum ProbabilityCalibration {
    /// The exponent is searched in this range (log-spaced).
    static let range = (low: 0.25, high: 8.0)
    /// A true class given probability 0 costs as much as this one.
    static let floor = 1e-4

    public static func apply(_ probabilities: [Double], exponent: Double) -> [Double] {
        let powered = probabilities.map { $0 > 0 ? pow($0, exponent) : 0 }
        let total = powered.reduce(0, +)
        return total > 0 ? powered.map { $0 / total } : probabilities
    }

    /// Mean negative log-likelihood of the true classes after scaling.
    static func logLoss(_ probabilities: [[Double]], truth: [Int], exponent: Double) -> Double {
        var sum = 0.0
        for (row, label) in zip(probabilities, truth) {
            sum -= log(max(apply(row, exponent: exponent)[label], floor))
        }
        return sum / Double(max(1, truth.count))
    }

    /// The exponent with the smallest log loss, by golden-section search over log a (the loss
    /// is unimodal in a for one-parameter scaling); 1 when there is nothing to fit.
    public static func fitExponent(probabilities: [[Double]], truth: [Int]) -> Double {
        guard !truth.isEmpty, probabilities.count == truth.count else { return 1 }
        func loss(_ t: Double) -> Double { logLoss(probabilities, truth: truth, exponent: exp(t)) }
        let (low, high) = GoldenSection.minimum(of: loss, in: log(range.low)...log(range.high), iterations: 40)
        let best = exp((low + high) / 2)
        // Keep the identity unless scaling actually helps.
        return loss(log(best)) < loss(0) ? best : 1
    }
}

/// The minimum of a unimodal function on an interval, by golden-section search: the interval
/// it is narrowed to after `iterations` steps (each one evaluation).
enum GoldenSection {
    static func minimum(of f: (Double) -> Double, in interval: ClosedRange<Double>, iterations: Int) -> (low: Double, high: Double) {
        let ratio = (5.0.squareRoot() - 1) / 2
        var (low, high) = (interval.lowerBound, interval.upperBound)
        var (a, b) = (high - ratio * (high - low), low + ratio * (high - low))
        var (lossA, lossB) = (f(a), f(b))
        for _ in 0..<iterations {
            if lossA < lossB {
                high = b
                (b, lossB) = (a, lossA)
                a = high - ratio * (high - low)
                lossA = f(a)
            } else {
                low = a
                (a, lossA) = (b, lossB)
                b = low + ratio * (high - low)
                lossB = f(b)
            }
        }
        return (low, high)
    }
}
