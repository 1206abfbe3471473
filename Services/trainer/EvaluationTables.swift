import Foundation
import Learning

/// Plain-text tables of a held-out report for `evaluate-text`: the largest classes' precision,
/// recall and F1, and a confusion matrix (rows the truth, columns the prediction).
enum EvaluationTables {
    /// The `top` classes with the most held-out papers, largest first.
    static func largestClasses(_ report: ClassificationReport, top: Int = 20) -> String {
        let rows = report.classes.filter { $0.support > 0 }.sorted { $0.support > $1.support || ($0.support == $1.support && $0.label < $1.label) }.prefix(top)
        let width = max(5, rows.map(\.label.count).max() ?? 0)
        var lines = ["  " + "class".padding(toLength: width, withPad: " ", startingAt: 0) + "  support  precision  recall     F1"]
        for row in rows {
            lines.append("  " + row.label.padding(toLength: width, withPad: " ", startingAt: 0)
                + String(format: "  %7d  %9.3f  %6.3f  %5.3f", row.support, row.precision, row.recall, row.f1))
        }
        return lines.joined(separator: "\n")
    }

    /// The confusion matrix over the labels that occur (as truth or prediction), counts of papers.
    static func confusion(_ report: ClassificationReport) -> String {
        let k = report.labels.count
        let present = (0..<k).filter { c in report.confusion[c].reduce(0, +) > 0 || (0..<k).contains { report.confusion[$0][c] > 0 } }
        let names = present.map { String(report.labels[$0].prefix(9)) }
        let width = max(6, (names.map(\.count).max() ?? 0) + 1)
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        let first = max(18, width + 8)
        var lines = ["  " + "truth \\ predicted".padding(toLength: first, withPad: " ", startingAt: 0) + names.map(cell).joined()]
        for (row, name) in zip(present, names) {
            lines.append("  " + name.padding(toLength: first, withPad: " ", startingAt: 0) + present.map { cell(String(report.confusion[row][$0])) }.joined())
        }
        return lines.joined(separator: "\n")
    }
}
