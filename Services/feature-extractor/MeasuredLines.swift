import Contracts
import Spectra

/// `GET /api/features/{obsid}`'s answer: the stored feature message and, so that a plot can
/// mark them, the lines the features measured, at rest and where they were looked for
/// (λ·(1 + z) with the survey's redshift), each with its equivalent width and depth.
struct FeaturesWithLines: Encodable {
    struct Line: Encodable {
        var name: String
        var restWavelength: Double
        var observedWavelength: Double
        /// Whether the stored vector's feature version measures this line at all.
        var measured: Bool
        /// Nil when measured but outside the spectrum's range or masked.
        var equivalentWidth: Double?
        var depth: Double?
        enum CodingKeys: String, CodingKey {
            case name, restWavelength = "rest_wavelength", observedWavelength = "observed_wavelength", measured,
                 equivalentWidth = "equivalent_width", depth
        }
    }

    let message: SpectrumFeatures
    let lines: [Line]

    init(_ message: SpectrumFeatures, lines catalog: [SpectralLine] = FeatureExtractor().lines) {
        self.message = message
        let z = message.entry.redshift ?? 0
        var values: [String: Double] = [:]
        for (name, value) in zip(message.features.names, message.features.values) { if let value { values[name] = value } }
        lines = catalog.map { line in
            Line(
                name: line.name, restWavelength: line.center, observedWavelength: line.center * (1 + z),
                measured: message.features.names.contains("ew_\(line.name)"), equivalentWidth: values["ew_\(line.name)"], depth: values["depth_\(line.name)"])
        }
    }

    enum CodingKeys: String, CodingKey { case lines }

    func encode(to encoder: any Encoder) throws {
        try message.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lines, forKey: .lines)
    }
}
