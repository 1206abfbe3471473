import Foundation

/// A named feature vector of one spectrum. Values are nil where a feature cannot be measured
/// (a line outside the observed range, a band fully masked): models must not see a made-up 0.
public struct FeatureVector: Codable, Sendable, Equatable {
    public var version: String
    public var names: [String]
    public var values: [Double?]

    public init(version: String, names: [String], values: [Double?]) {
        precondition(names.count == values.count, "one value per name")
        (self.version, self.names, self.values) = (version, names, values)
    }

    public subscript(name: String) -> Double? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return values[index]
    }
}

/// Physically motivated features from a preprocessed spectrum: per line an equivalent width
/// and a depth against a Lick-style pseudo-continuum, at the rest wavelengths moved by the
/// survey redshift; continuum colours; counts and prominences of absorption dips and emission
/// peaks; and the spectrum's quality. Deliberately no sky position, redshift or survey metadata.
public struct FeatureExtractor: Sendable {
    public static let version = "lines-v1"
    public var lines: [SpectralLine]

    public init(lines: [SpectralLine] = SpectralLine.catalog) {
        self.lines = lines
    }

    /// Continuum colours: log10 of the continuum ratio between two wavelengths.
    static let colours: [(String, Double, Double)] = [
        ("colour_4000_5000", 4000, 5000), ("colour_4500_6500", 4500, 6500), ("colour_5000_7000", 5000, 7000),
        ("colour_6500_8500", 6500, 8500),
    ]

    public var names: [String] {
        lines.flatMap { ["ew_\($0.name)", "depth_\($0.name)"] } + Self.colours.map(\.0) + [
            "absorption_dips", "emission_peaks", "max_dip_prominence", "max_peak_prominence", "median_snr", "good_fraction",
        ]
    }

    /// - Parameter redshift: the survey's redshift (nil when not measured); lines are looked for at λ·(1 + z).
    public func extract(_ spectrum: PreprocessedSpectrum, redshift: Double?) -> FeatureVector {
        var values: [Double?] = []
        let z = redshift ?? 0
        for line in lines {
            let measurement = LineMeasurement.measure(spectrum, bands: line.bands(redshift: z))
            // Rest-frame equivalent width: the observed one divided by (1 + z).
            values.append(measurement.map { $0.equivalentWidth / (1 + z) })
            values.append(measurement.map(\.depth))
        }
        for (_, blue, red) in Self.colours {
            values.append(colour(spectrum, blue: blue, red: red))
        }
        let extrema = Extrema(spectrum)
        values += [Double(extrema.dips), Double(extrema.peaks), extrema.maxDip, extrema.maxPeak, spectrum.medianSNR, spectrum.goodFraction]
        return FeatureVector(version: Self.version, names: names, values: values)
    }

    private func colour(_ spectrum: PreprocessedSpectrum, blue: Double, red: Double) -> Double? {
        func continuum(at wavelength: Double) -> Double? {
            let index = Int(spectrum.grid.index(of: wavelength).rounded())
            guard spectrum.continuum.indices.contains(index), spectrum.continuum[index] > 0 else { return nil }
            return spectrum.continuum[index]
        }
        guard let b = continuum(at: blue), let r = continuum(at: red) else { return nil }
        return log10(b / r)
    }
}

/// Absorption dips and emission peaks of the normalised spectrum, smoothed over 5 pixels,
/// with prominence measured against the highest (lowest) point within ±15 pixels.
struct Extrema {
    var dips = 0
    var peaks = 0
    var maxDip: Double? = nil
    var maxPeak: Double? = nil

    static let threshold = 0.1
    static let window = 15

    init(_ spectrum: PreprocessedSpectrum) {
        let count = spectrum.flux.count
        var smooth = [Double](repeating: .nan, count: count)
        for index in 2..<max(2, count - 2) {
            var sum = 0.0, n = 0.0
            for k in (index - 2)...(index + 2) where spectrum.inverseVariance[k] > 0 { sum += spectrum.flux[k]; n += 1 }
            if n >= 3 { smooth[index] = sum / n }
        }
        var deepestDip = 0.0, highestPeak = 0.0
        // The lowest and highest finite values of each ±window are kept in two monotonic
        // queues of indices, so the scan is linear in the spectrum, not in spectrum × window.
        var lows = [Int](repeating: 0, count: count), highs = [Int](repeating: 0, count: count)
        var (lowHead, lowTail, highHead, highTail) = (0, 0, 0, 0)
        var finite = 0, next = 0
        for index in Self.window..<max(Self.window, count - Self.window) {
            while next <= index + Self.window {
                let value = smooth[next]
                if value.isFinite {
                    while lowTail > lowHead && smooth[lows[lowTail - 1]] >= value { lowTail -= 1 }
                    lows[lowTail] = next; lowTail += 1
                    while highTail > highHead && smooth[highs[highTail - 1]] <= value { highTail -= 1 }
                    highs[highTail] = next; highTail += 1
                    finite += 1
                }
                next += 1
            }
            let start = index - Self.window
            if start > 0, smooth[start - 1].isFinite { finite -= 1 }
            while lowHead < lowTail && lows[lowHead] < start { lowHead += 1 }
            while highHead < highTail && highs[highHead] < start { highHead += 1 }
            let value = smooth[index]
            guard value.isFinite, finite > Self.window else { continue }
            let lowest = smooth[lows[lowHead]], highest = smooth[highs[highHead]]
            if value == lowest {
                let prominence = highest - value
                if prominence >= Self.threshold { dips += 1; deepestDip = max(deepestDip, prominence) }
            } else if value == highest {
                let prominence = value - lowest
                if prominence >= Self.threshold { peaks += 1; highestPeak = max(highestPeak, prominence) }
            }
        }
        maxDip = deepestDip
        maxPeak = highestPeak
    }
}
