import Foundation

/// Drift of one column between a reference sample and the current window, with the test a
/// data scientist expects by default (as Evidently): for ≤ 1000 reference rows, Kolmogorov–
/// Smirnov (numeric) or chi-square (categorical), drifted at p < 0.05; above that, normed
/// Wasserstein (numeric) or Jensen–Shannon (categorical), drifted at ≥ 0.1. PSI is reported too.
public struct ColumnDrift: Codable, Sendable, Equatable {
    public var column: String
    public var kind: String
    public var test: String
    public var statistic: Double
    public var pValue: Double?
    public var threshold: Double
    public var drifted: Bool
    public var psi: Double
    public var referenceCount: Int
    public var currentCount: Int

    enum CodingKeys: String, CodingKey {
        case column, kind, test, statistic, pValue = "p_value", threshold, drifted, psi, referenceCount = "reference_count", currentCount = "current_count"
    }

    public static func numeric(_ column: String, reference: [Double], current: [Double], threshold: Double = 0.1) -> ColumnDrift {
        let edges = DriftStatistics.deciles(reference)
        let psi = DriftStatistics.populationStability(
            reference: DriftStatistics.histogram(reference, edges: edges), current: DriftStatistics.histogram(current, edges: edges))
        if reference.count <= 1000 {
            let (d, p) = DriftStatistics.kolmogorovSmirnov(reference, current)
            return ColumnDrift(
                column: column, kind: "numeric", test: "K-S", statistic: d, pValue: p, threshold: 0.05, drifted: p < 0.05, psi: psi,
                referenceCount: reference.count, currentCount: current.count)
        }
        let mean = reference.reduce(0, +) / Double(reference.count)
        let spread = (reference.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(reference.count)).squareRoot()
        let distance = DriftStatistics.wasserstein(reference, current) / (spread > 0 ? spread : 1)
        return ColumnDrift(
            column: column, kind: "numeric", test: "Wasserstein (normed)", statistic: distance, pValue: nil, threshold: threshold,
            drifted: distance >= threshold, psi: psi, referenceCount: reference.count, currentCount: current.count)
    }

    public static func categorical(_ column: String, reference: [String], current: [String], threshold: Double = 0.1) -> ColumnDrift {
        let labels = Array(Set(reference).union(current)).sorted()
        func counts(_ values: [String]) -> [Double] {
            let tally = Dictionary(values.map { ($0, 1.0) }, uniquingKeysWith: +)
            return labels.map { tally[$0] ?? 0 }
        }
        let (r, c) = (counts(reference), counts(current))
        let psi = DriftStatistics.populationStability(reference: r, current: c)
        if reference.count <= 1000 {
            // A category the reference never had makes the expected count 0: it is set to a
            // tiny share so that its appearance counts as drift instead of being ignored.
            let shares = DriftStatistics.normalise(r).map { max($0, 1e-4) }
            let (statistic, p) = DriftStatistics.chiSquare(observed: c, expectedShares: shares)
            return ColumnDrift(
                column: column, kind: "categorical", test: "chi-square", statistic: statistic, pValue: p, threshold: 0.05, drifted: p < 0.05,
                psi: psi, referenceCount: reference.count, currentCount: current.count)
        }
        let distance = DriftStatistics.jensenShannon(r, c)
        return ColumnDrift(
            column: column, kind: "categorical", test: "Jensen-Shannon", statistic: distance, pValue: nil, threshold: threshold,
            drifted: distance >= threshold, psi: psi, referenceCount: reference.count, currentCount: current.count)
    }
}
