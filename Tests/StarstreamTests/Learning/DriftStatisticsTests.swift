import Learning
import Testing

@Suite("Drift statistics against values computed once with scipy 1.17.1")
struct DriftStatisticsTests {
    static let a = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.52, -0.74, -0.97]
    static let b = [1.61, 1.29, 1.06, 1.59, -0.73, 0.26, 1.51, 0.44, 1.39, 2.64, 1.05, 0.94, 1.64, 0.18, 1.37, 2.77, 2.09, -0.28, 3.36, 2.31]

    @Test("Kolmogorov–Smirnov: D = 0.5, asymptotic p = scipy.special.kolmogorov(√(nm/(n+m))·D) = 0.008553640029282421")
    func kolmogorovSmirnov() {
        let (d, p) = DriftStatistics.kolmogorovSmirnov(Self.a, Self.b)
        #expect(d == 0.5)
        #expect(abs(p - 0.008553640029282421) < 1e-12)
        #expect(DriftStatistics.kolmogorovSmirnov(Self.a, Self.a).pValue == 1)
        #expect(abs(DriftStatistics.kolmogorovSurvival(1.0) - 0.26999967167735456) < 1e-12)
    }

    @Test("Wasserstein distance 1.10325 (normed by the reference's standard deviation: 1.1050826761892454)")
    func wasserstein() {
        #expect(abs(DriftStatistics.wasserstein(Self.a, Self.b) - 1.10325) < 1e-12)
        let drift = ColumnDrift.numeric("x", reference: Array(repeating: Self.a, count: 50).flatMap { $0 }, current: Self.b)
        #expect(drift.test == "Wasserstein (normed)" && abs(drift.statistic - 1.1050826761892454) < 1e-9 && drift.drifted)
    }

    @Test("chi-square of counts 30/30/40 against shares 50/30/20: 28.0, p = 8.31528719103568e-07; chi2 survival values")
    func chiSquare() {
        let (statistic, p) = DriftStatistics.chiSquare(observed: [30, 30, 40], expectedShares: [0.5, 0.3, 0.2])
        #expect(abs(statistic - 28) < 1e-12)
        #expect(abs(p / 8.31528719103568e-07 - 1) < 1e-9)
        #expect(abs(DriftStatistics.chiSquareSurvival(3.5, degreesOfFreedom: 4) - 0.477878344488724) < 1e-12)
        #expect(abs(DriftStatistics.chiSquareSurvival(20, degreesOfFreedom: 2) / 4.539992976248486e-05 - 1) < 1e-9)
    }

    @Test("Jensen–Shannon distance 0.17211473103812178 and PSI 0.2407945608651872 of the shares 50/30/20 → 30/30/40")
    func categoricalDistances() {
        #expect(abs(DriftStatistics.jensenShannon([50, 30, 20], [30, 30, 40]) - 0.17211473103812178) < 1e-12)
        #expect(abs(DriftStatistics.populationStability(reference: [50, 30, 20], current: [30, 30, 40]) - 0.2407945608651872) < 1e-12)
    }

    @Test("the default tests: K-S and chi-square up to 1000 reference rows; no drift between samples of one distribution")
    func defaults() {
        let same = ColumnDrift.numeric("x", reference: Self.a, current: Self.a.reversed())
        #expect(same.test == "K-S" && !same.drifted)
        let shifted = ColumnDrift.numeric("x", reference: Self.a, current: Self.b)
        #expect(shifted.drifted && shifted.pValue! < 0.05)
        let categories = ColumnDrift.categorical("c", reference: ["a", "a", "b", "b", "c"], current: ["a", "b", "c", "a", "b"])
        #expect(categories.test == "chi-square" && !categories.drifted)
        let newCategory = ColumnDrift.categorical("c", reference: Array(repeating: "a", count: 50), current: Array(repeating: "z", count: 50))
        #expect(newCategory.drifted)
    }
}
