import Foundation

/// Line strengths on a continuum-normalised spectrum, Lick-style: a straight pseudo-continuum
/// through the inverse-variance-weighted mean flux of a blue and a red side band, and the line
/// measured against it over the central band.
public enum LineMeasurement {
    public struct Bands: Sendable, Hashable {
        public var blue: ClosedRange<Double>
        public var central: ClosedRange<Double>
        public var red: ClosedRange<Double>

        public init(blue: ClosedRange<Double>, central: ClosedRange<Double>, red: ClosedRange<Double>) {
            (self.blue, self.central, self.red) = (blue, central, red)
        }

        /// Bands around `center`: central ± `halfWidth`, side bands of `sideWidth` just outside,
        /// all moved to the observed frame by `redshift`.
        public static func around(_ center: Double, halfWidth: Double, sideWidth: Double, gap: Double = 0, redshift: Double = 0) -> Bands {
            let shift = 1 + redshift
            let c = center * shift, h = halfWidth * shift, s = sideWidth * shift, g = gap * shift
            return Bands(blue: (c - h - g - s)...(c - h - g), central: (c - h)...(c + h), red: (c + h + g)...(c + h + g + s))
        }
    }

    public struct Measurement: Sendable, Hashable {
        /// Equivalent width in Å; positive for absorption, negative for emission.
        public var equivalentWidth: Double
        /// 1 − (minimum flux / pseudo-continuum) in the central band.
        public var depth: Double
        /// Share of the central band with good pixels.
        public var coverage: Double
    }

    /// Nil when a band has no good pixel or lies outside the grid.
    public static func measure(_ spectrum: PreprocessedSpectrum, bands: Bands) -> Measurement? {
        let grid = spectrum.grid
        guard let blue = bandMean(spectrum, bands.blue), let red = bandMean(spectrum, bands.red) else { return nil }
        let slope = (red.flux - blue.flux) / (red.wavelength - blue.wavelength)
        func pseudoContinuum(_ wavelength: Double) -> Double { blue.flux + slope * (wavelength - blue.wavelength) }

        let edges = grid.edges
        let wavelengths = grid.wavelengths
        var equivalentWidth = 0.0, covered = 0.0, deepest = 0.0
        let first = max(0, Int(grid.index(of: bands.central.lowerBound).rounded(.down)))
        let last = min(grid.count - 1, Int(grid.index(of: bands.central.upperBound).rounded(.up)))
        guard first <= last else { return nil }
        for index in first...last {
            // The part of this pixel inside the central band.
            let overlap = min(edges[index + 1], bands.central.upperBound) - max(edges[index], bands.central.lowerBound)
            guard overlap > 0, spectrum.inverseVariance[index] > 0 else { continue }
            let continuum = pseudoContinuum(wavelengths[index])
            guard continuum > 0 else { continue }
            let ratio = spectrum.flux[index] / continuum
            equivalentWidth += (1 - ratio) * overlap
            covered += overlap
            deepest = max(deepest, 1 - ratio)
        }
        let bandWidth = bands.central.upperBound - bands.central.lowerBound
        guard covered > 0.5 * bandWidth else { return nil }
        // Masked pixels are assumed to behave like the covered ones.
        return Measurement(equivalentWidth: equivalentWidth * bandWidth / covered, depth: deepest, coverage: covered / bandWidth)
    }

    private static func bandMean(_ spectrum: PreprocessedSpectrum, _ band: ClosedRange<Double>) -> (wavelength: Double, flux: Double)? {
        let grid = spectrum.grid
        let first = max(0, Int(grid.index(of: band.lowerBound).rounded(.up)))
        let last = min(grid.count - 1, Int(grid.index(of: band.upperBound).rounded(.down)))
        guard first <= last else { return nil }
        let wavelengths = grid.wavelengths
        var weight = 0.0, flux = 0.0, wavelength = 0.0
        for index in first...last where spectrum.inverseVariance[index] > 0 {
            let w = spectrum.inverseVariance[index]
            weight += w
            flux += w * spectrum.flux[index]
            wavelength += w * wavelengths[index]
        }
        guard weight > 0 else { return nil }
        return (wavelength / weight, flux / weight)
    }
}
