import Foundation
import Learning

/// The training spectra as one CSV (`trainer evaluate --export-features`), so another library
/// (XGBoost, LightGBM, scikit-learn: `Tools/boosting-baseline/compare.py`) learns from exactly
/// the same feature matrix and cross-validates on exactly the same folds. A missing value is
/// an empty cell.
struct FeatureExport {
    var examples: [CrossValidation.Example]
    var folds: GroupedFolds

    func write(to path: String) throws {
        guard let names = examples.first?.spectrum.features.names else { throw ExportError.empty }
        var lines = [(["obsid", "source", "plan", "fold", "class", "mk", "type_index"] + names).joined(separator: ",")]
        for (index, example) in examples.enumerated() {
            let spectrum = example.spectrum
            let values = SpectraTrainer.values(spectrum.features, names: names).map { value in value.flatMap { $0.isFinite ? String($0) : nil } ?? "" }
            let fields = [
                String(spectrum.obsid), Self.cell(example.source), Self.cell(spectrum.plan ?? ""), String(folds.fold[index]),
                spectrum.label(for: .spectraClass) ?? "", spectrum.label(for: .spectraMK) ?? "", spectrum.typeIndex.map { String($0) } ?? "",
            ]
            lines.append((fields + values).joined(separator: ","))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    enum ExportError: Error, CustomStringConvertible {
        case empty
        var description: String { "no training spectra to export" }
    }

    /// A text cell, quoted when it holds a comma or a quote.
    static func cell(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
