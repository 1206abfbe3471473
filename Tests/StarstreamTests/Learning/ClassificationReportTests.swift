import Learning
import Testing

@Suite("Classification measures against hand-computed values")
struct ClassificationReportTests {
    @Test("accuracy, balanced accuracy, macro-F1, per-class precision/recall, confusion and calibration of a known case")
    func knownCase() throws {
        // truth 0 0 1 1 2, predicted 0 1 1 1 0, each with confidence 0.8.
        func p(_ c: Int) -> [Double] { (0..<3).map { $0 == c ? 0.8 : 0.1 } }
        let report = ClassificationReport(labels: ["A", "B", "C"], truth: [0, 0, 1, 1, 2], probabilities: [p(0), p(1), p(1), p(1), p(0)])
        #expect(report.confusion == [[1, 1, 0], [0, 2, 0], [1, 0, 0]])
        #expect(report.accuracy == 0.6)
        #expect(abs(report.balancedAccuracy - 0.5) < 1e-12)  // recalls 1/2, 1, 0
        // F1: A = 0.5 (P 1/2, R 1/2), B = 0.8 (P 2/3, R 1), C = 0.
        #expect(abs(report.macroF1 - 1.3 / 3) < 1e-12)
        #expect(abs(report.classes[1].precision - 2.0 / 3) < 1e-12)
        #expect(report.classes.map(\.support) == [2, 2, 1])
        // All five in the 0.8 bin, 60% right: |0.6 − 0.8| = 0.2.
        #expect(abs(report.expectedCalibrationError - 0.2) < 1e-12)
        // Right rows: 0.04 + 0.01 + 0.01 = 0.06; wrong rows: 0.81 (true class at 0.1) + 0.64 + 0.01 = 1.46.
        #expect(abs(report.brierScore - (3 * 0.06 + 2 * 1.46) / 5) < 1e-12)
        #expect(report.top3Accuracy == 1)
        // The reliability diagram: the 0.8–0.9 bin holds all five, at confidence 0.8, 60% right; the rest are empty.
        let bins = try #require(report.reliability)
        #expect(bins.count == 10 && bins.map(\.count) == [0, 0, 0, 0, 0, 0, 0, 0, 5, 0])
        #expect(abs(bins[8].meanConfidence - 0.8) < 1e-12 && abs(bins[8].accuracy - 0.6) < 1e-12)
        #expect(bins[8].lower == 0.8 && bins[8].upper == 0.9)
    }

    @Test("a perfect, confident classifier scores 1 everywhere and 0 calibration error")
    func perfect() {
        let report = ClassificationReport(labels: ["x", "y"], truth: [0, 1, 1], probabilities: [[1, 0], [0, 1], [0, 1]])
        #expect(report.accuracy == 1 && report.balancedAccuracy == 1 && report.macroF1 == 1)
        #expect(report.expectedCalibrationError == 0)
        #expect(report.brierScore == 0)
    }
}
