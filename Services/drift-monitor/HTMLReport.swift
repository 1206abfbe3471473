import Foundation
import Learning

/// A drift report as a self-contained HTML page: the verdict, a table of every column's test,
/// and, per drifted numeric column, reference and current histograms drawn in SVG.
enum HTMLReport {
    static func render(_ report: DriftReport, id: Int) -> String {
        var html = """
            <!doctype html><html><head><meta charset="utf-8"><title>Drift report \(id): \(escape(report.pipeline))</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
            .drift{color:#b00020;font-weight:600}.ok{color:#1b5e20}figure{display:inline-block;margin:1em}</style></head><body>
            <h1>Drift report \(id) — \(escape(report.pipeline))</h1>
            <p>Reference: <b>\(escape(report.model))</b>; current window: \(report.window) messages; \(report.createdAt.formatted(.iso8601)).</p>
            <p class="\(report.datasetDrift ? "drift" : "ok")">\(report.datasetDrift ? "Dataset drift" : "No dataset drift"):
            \(report.drifted.count) of \(report.columns.count) columns drifted (\(String(format: "%.0f", report.share * 100))%, threshold \(String(format: "%.0f", report.shareThreshold * 100))%).</p>

            """
        if let live = report.liveAccuracy {
            html += "<p>Live accuracy \(String(format: "%.3f", live))" + (report.referenceAccuracy.map { " (held out at training: \(String(format: "%.3f", $0)))" } ?? "") + ".</p>\n"
        }
        html += "<table><tr><th>column</th><th>type</th><th>test</th><th>statistic</th><th>p-value</th><th>threshold</th><th>PSI</th><th>drift</th></tr>\n"
        for column in report.columns {
            html += "<tr><td>\(escape(column.column))</td><td>\(column.kind)</td><td>\(column.test)</td><td>\(String(format: "%.4g", column.statistic))</td>"
                + "<td>\(column.pValue.map { String(format: "%.3g", $0) } ?? "—")</td><td>\(column.threshold)</td><td>\(String(format: "%.3f", column.psi))</td>"
                + "<td class=\"\(column.drifted ? "drift" : "ok")\">\(column.drifted ? "yes" : "no")</td></tr>\n"
        }
        html += "</table>\n"
        for (column, histogram) in report.histograms.sorted(by: { $0.key < $1.key }) {
            html += "<figure><figcaption>\(escape(column)): reference (grey) and current (red)</figcaption>\(svg(histogram))</figure>\n"
            if let labels = histogram.labels, labels.count > 8 { html += movedShares(column, histogram, labels: labels) }
        }
        if let words = report.newWords, !words.isEmpty {
            html += "<h2>Words the model never saw</h2><p>Outside its vocabulary, in most texts of this window (texts with the word):</p><table>"
                + "<tr><th>word</th><th>texts</th></tr>\n"
            for entry in words { html += "<tr><td>\(escape(entry.word))</td><td>\(entry.count)</td></tr>\n" }
            html += "</table>\n"
        }
        return html + "</body></html>\n"
    }

    /// The categories whose share moved most between the reference and the window: too many
    /// to read off bars.
    static func movedShares(_ column: String, _ histogram: DriftReport.Histogram, labels: [String]) -> String {
        let reference = normalise(histogram.reference), current = normalise(histogram.current)
        let moved = labels.indices.sorted { abs(current[$0] - reference[$0]) > abs(current[$1] - reference[$1]) }.prefix(15)
        var html = "<h2>\(escape(column)): the shares that moved most</h2><table><tr><th>\(escape(column))</th><th>reference</th><th>current</th><th>change</th></tr>\n"
        for i in moved {
            let change = (current[i] - reference[i]) * 100
            html += "<tr><td>\(escape(labels[i]))</td><td>\(String(format: "%.1f%%", reference[i] * 100))</td><td>\(String(format: "%.1f%%", current[i] * 100))</td>"
                + "<td class=\"\(change > 0 ? "drift" : "ok")\">\(String(format: "%+.1f", change)) points</td></tr>\n"
        }
        return html + "</table>\n"
    }

    static func svg(_ histogram: DriftReport.Histogram) -> String {
        let (width, height) = (360.0, 160.0)
        let reference = normalise(histogram.reference), current = normalise(histogram.current)
        let top = max(reference.max() ?? 1, current.max() ?? 1, 1e-9)
        let bins = max(reference.count, 1)
        let step = width / Double(bins)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height) + 16)\">"
        for (index, (r, c)) in zip(reference, current).enumerated() {
            let x = Double(index) * step
            let rh = r / top * height, ch = c / top * height
            svg += "<rect x=\"\(x)\" y=\"\(height - rh)\" width=\"\(step * 0.48)\" height=\"\(rh)\" fill=\"#9e9e9e\"/>"
            svg += "<rect x=\"\(x + step * 0.5)\" y=\"\(height - ch)\" width=\"\(step * 0.48)\" height=\"\(ch)\" fill=\"#d32f2f\"/>"
        }
        if let labels = histogram.labels {
            // Categories: each label under its pair of bars (shortened when crowded).
            for (index, label) in labels.enumerated() {
                let text = labels.count > 8 ? String(label.prefix(6)) : label
                svg += "<text x=\"\(Double(index) * step)\" y=\"\(Int(height) + 14)\" font-size=\"9\">\(escape(text))</text>"
            }
        } else if let first = histogram.edges.first, let last = histogram.edges.last {
            svg += "<text x=\"0\" y=\"\(Int(height) + 14)\" font-size=\"11\">\(String(format: "%.3g", first))</text>"
            svg += "<text x=\"\(Int(width) - 40)\" y=\"\(Int(height) + 14)\" font-size=\"11\">\(String(format: "%.3g", last))</text>"
        }
        return svg + "</svg>"
    }

    static func normalise(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return total > 0 ? counts.map { $0 / total } : counts
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
