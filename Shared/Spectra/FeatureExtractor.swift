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
/// peaks. Deliberately no sky position, redshift, survey metadata or observing quality: the
/// signal-to-noise ratio and masked share (in `lines-v1`) say how a spectrum was observed, not
/// what the object is, and a model would learn that some classes are observed fainter.
public struct FeatureExtractor: Sendable {
    public static let version = "lines-v2"
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
            "absorption_dips", "emission_peaks", "max_dip_prominence", "max_peak_prominence",
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
        values += [Double(extrema.dips), Double(extrema.peaks), extrema.maxDip, extrema.maxPeak]
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
        let smooth = Self.smoothed(spectrum)
        let (count, window) = (smooth.count, Self.window)
        var deepestDip = 0.0, highestPeak = 0.0
        var (dips, peaks) = (0, 0)
        if count > 2 * window {
            // The lowest and highest finite value of every ±window (masked pixels never win),
            // and how many finite values each window holds.
            let lowest = Self.slidingMinimum(smooth.map { $0.isFinite ? $0 : .infinity }, length: 2 * window + 1)
            let highest = Self.slidingMinimum(smooth.map { $0.isFinite ? -$0 : .infinity }, length: 2 * window + 1).map { -$0 }
            var finiteBefore = [Int](repeating: 0, count: count + 1)
            for index in 0..<count { finiteBefore[index + 1] = finiteBefore[index] + (smooth[index].isFinite ? 1 : 0) }
            for index in window..<(count - window) {
                let value = smooth[index]
                let finite = finiteBefore[index + window + 1] - finiteBefore[index - window]
                guard value.isFinite, finite > window else { continue }
                let (low, high) = (lowest[index - window], highest[index - window])
                if value == low {
                    let prominence = high - value
                    if prominence >= Self.threshold { dips += 1; deepestDip = max(deepestDip, prominence) }
                } else if value == high {
                    let prominence = value - low
                    if prominence >= Self.threshold { peaks += 1; highestPeak = max(highestPeak, prominence) }
                }
            }
        }
        (self.dips, self.peaks, maxDip, maxPeak) = (dips, peaks, deepestDip, highestPeak)
    }

    /// `result[a]` = the minimum of `values[a ..< a + length]` for every full window, in three
    /// branch-free passes (van Herk / Gil–Werman): minima running forward and backward within
    /// blocks of `length`, so that any window is one block's suffix and the next one's prefix.
    static func slidingMinimum(_ values: [Double], length: Int) -> [Double] {
        let count = values.count
        guard length >= 1, count >= length else { return [] }
        var prefix = values, suffix = values
        prefix.withUnsafeMutableBufferPointer { prefix in
            suffix.withUnsafeMutableBufferPointer { suffix in
                var start = 0
                while start < count {
                    let end = min(start + length, count)
                    for index in (start + 1)..<max(start + 1, end) { prefix[index] = min(prefix[index], prefix[index - 1]) }
                    for index in stride(from: end - 2, through: start, by: -1) { suffix[index] = min(suffix[index], suffix[index + 1]) }
                    start = end
                }
            }
        }
        return (0...(count - length)).map { min(suffix[$0], prefix[$0 + length - 1]) }
    }

    /// The mean of the good pixels among each pixel and its two neighbours on either side;
    /// NaN where fewer than three are good (and at the two ends).
    static func smoothed(_ spectrum: PreprocessedSpectrum) -> [Double] {
        let count = spectrum.flux.count
        guard count >= 5 else { return [Double](repeating: .nan, count: count) }
        var goodFlux = [Double](repeating: 0, count: count), good = [Double](repeating: 0, count: count)
        for index in 0..<count where spectrum.inverseVariance[index] > 0 {
            goodFlux[index] = spectrum.flux[index]
            good[index] = 1
        }
        var smooth = [Double](repeating: .nan, count: count)
        goodFlux.withUnsafeBufferPointer { f in
            good.withUnsafeBufferPointer { g in
                smooth.withUnsafeMutableBufferPointer { smooth in
                    for index in 2..<(count - 2) {
                        let n = g[index - 2] + g[index - 1] + g[index] + g[index + 1] + g[index + 2]
                        let sum = f[index - 2] + f[index - 1] + f[index] + f[index + 1] + f[index + 2]
                        smooth[index] = n >= 3 ? sum / n : .nan
                    }
                }
            }
        }
        return smooth
    }
}
