import Foundation

/// The two-sample statistics of data drift, as scipy computes them.
public enum DriftStatistics {
    /// Two-sample Kolmogorov–Smirnov: the largest gap between the empirical CDFs, and its
    /// asymptotic p-value (Kolmogorov's distribution at √(nm/(n+m))·D; scipy.special.kolmogorov).
    public static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> (statistic: Double, pValue: Double) {
        guard !a.isEmpty, !b.isEmpty else { return (0, 1) }
        let x = a.sorted(), y = b.sorted()
        var (i, j, d) = (0, 0, 0.0)
        while i < x.count && j < y.count {
            let value = min(x[i], y[j])
            while i < x.count && x[i] <= value { i += 1 }
            while j < y.count && y[j] <= value { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        let n = Double(x.count), m = Double(y.count)
        return (d, kolmogorovSurvival((n * m / (n + m)).squareRoot() * d))
    }

    /// P(K > λ) for Kolmogorov's distribution.
    public static func kolmogorovSurvival(_ lambda: Double) -> Double {
        guard lambda > 0 else { return 1 }
        if lambda < 1.18 {
            // The series in exp(−(2k−1)²π²/(8λ²)) converges fast for small λ.
            var sum = 0.0
            for k in 1...20 {
                let t = Double(2 * k - 1)
                sum += exp(-t * t * Double.pi * Double.pi / (8 * lambda * lambda))
            }
            return max(0, min(1, 1 - (2 * Double.pi).squareRoot() / lambda * sum))
        }
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += (k % 2 == 1 ? 1 : -1) * term
            if term < 1e-17 { break }
        }
        return max(0, min(1, 2 * sum))
    }

    /// Wasserstein-1 (earth mover's) distance between two samples (scipy.stats.wasserstein_distance).
    public static func wasserstein(_ a: [Double], _ b: [Double]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        let x = a.sorted(), y = b.sorted()
        let all = (x + y).sorted()
        var (i, j, distance) = (0, 0, 0.0)
        for k in 0..<(all.count - 1) {
            while i < x.count && x[i] <= all[k] { i += 1 }
            while j < y.count && y[j] <= all[k] { j += 1 }
            distance += abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)) * (all[k + 1] - all[k])
        }
        return distance
    }

    /// Pearson's chi-square goodness of fit of `observed` counts to `expectedShares` (scipy.stats.chisquare).
    public static func chiSquare(observed: [Double], expectedShares: [Double]) -> (statistic: Double, pValue: Double) {
        let total = observed.reduce(0, +)
        var statistic = 0.0, cells = 0
        for (o, share) in zip(observed, expectedShares) where share > 0 {
            let e = share * total
            statistic += (o - e) * (o - e) / e
            cells += 1
        }
        guard cells > 1 else { return (0, 1) }
        return (statistic, chiSquareSurvival(statistic, degreesOfFreedom: cells - 1))
    }

    public static func chiSquareSurvival(_ x: Double, degreesOfFreedom k: Int) -> Double {
        regularizedGammaQ(Double(k) / 2, x / 2)
    }

    /// Q(a, x) = Γ(a, x) / Γ(a): the series below a + 1, Lentz's continued fraction above.
    static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        guard x > 0 else { return 1 }
        let logPrefix = -x + a * log(x) - lgamma(a)
        if x < a + 1 {
            var (sum, term, n) = (1 / a, 1 / a, a)
            for _ in 0..<500 {
                n += 1
                term *= x / n
                sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return max(0, 1 - sum * exp(logPrefix))
        }
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...500 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return min(1, exp(logPrefix) * h)
    }

    /// Jensen–Shannon distance (natural log; scipy.spatial.distance.jensenshannon).
    public static func jensenShannon(_ p: [Double], _ q: [Double]) -> Double {
        let ps = normalise(p), qs = normalise(q)
        var divergence = 0.0
        for (a, b) in zip(ps, qs) {
            let m = (a + b) / 2
            if a > 0 { divergence += 0.5 * a * log(a / m) }
            if b > 0 { divergence += 0.5 * b * log(b / m) }
        }
        return max(0, divergence).squareRoot()
    }

    /// Population stability index Σ (q − p) ln(q / p) over bins, empty bins floored at 0.0001.
    public static func populationStability(reference p: [Double], current q: [Double]) -> Double {
        zip(normalise(p), normalise(q)).reduce(0) { sum, pair in
            let (a, b) = (max(pair.0, 1e-4), max(pair.1, 1e-4))
            return sum + (b - a) * log(b / a)
        }
    }

    static func normalise(_ values: [Double]) -> [Double] {
        let total = values.reduce(0, +)
        return total > 0 ? values.map { $0 / total } : values
    }

    /// Counts of `values` in the bins of `edges` (ascending; the outer bins are open-ended).
    public static func histogram(_ values: [Double], edges: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: edges.count + 1)
        for value in values {
            var bin = 0
            while bin < edges.count && value > edges[bin] { bin += 1 }
            counts[bin] += 1
        }
        return counts
    }

    /// The deciles of `values`, the bin edges of PSI for a numeric column.
    public static func deciles(_ values: [Double]) -> [Double] {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return [] }
        return Array(Set((1..<10).map { sorted[min(sorted.count - 1, $0 * sorted.count / 10)] })).sorted()
    }
}
