import Foundation

/// Flux-conserving rebinning onto a `WavelengthGrid`.
///
/// Each input pixel is a bin (edges halfway between centres); an output pixel takes the
/// overlap-weighted mean of the good input bins it covers, so ∫ f dλ is preserved, and its
/// variance is propagated from theirs. An output pixel less than half covered by good input is
/// masked (inverse variance 0).
public enum Resampler {
    public struct Result: Sendable {
        public var flux: [Double]
        public var inverseVariance: [Double]
        /// Fraction of each output pixel covered by good input.
        public var coverage: [Double]
    }

    public static func resample(
        wavelength: [Double], flux: [Double], inverseVariance: [Double], good: [Bool], onto grid: WavelengthGrid
    ) -> Result {
        let count = wavelength.count
        var outFlux = [Double](repeating: 0, count: grid.count)
        var outIvar = [Double](repeating: 0, count: grid.count)
        var coverage = [Double](repeating: 0, count: grid.count)
        guard count >= 2 else { return Result(flux: outFlux, inverseVariance: outIvar, coverage: coverage) }

        // Input bin edges: midpoints, extrapolated at both ends.
        var inEdges = [Double](repeating: 0, count: count + 1)
        for index in 1..<count { inEdges[index] = 0.5 * (wavelength[index - 1] + wavelength[index]) }
        inEdges[0] = wavelength[0] - (inEdges[1] - wavelength[0])
        inEdges[count] = wavelength[count - 1] + (wavelength[count - 1] - inEdges[count - 1])
        let outEdges = grid.edges

        var source = 0
        for target in 0..<grid.count {
            let low = outEdges[target], high = outEdges[target + 1]
            while source < count && inEdges[source + 1] <= low { source += 1 }
            var weightSum = 0.0, fluxSum = 0.0, varianceSum = 0.0
            var index = source
            while index < count && inEdges[index] < high {
                let overlap = min(high, inEdges[index + 1]) - max(low, inEdges[index])
                if overlap > 0 && good[index] {
                    weightSum += overlap
                    fluxSum += overlap * flux[index]
                    varianceSum += overlap * overlap / inverseVariance[index]
                }
                index += 1
            }
            let width = high - low
            coverage[target] = weightSum / width
            if coverage[target] >= 0.5 {
                outFlux[target] = fluxSum / weightSum
                outIvar[target] = weightSum * weightSum / varianceSum
            }
        }
        return Result(flux: outFlux, inverseVariance: outIvar, coverage: coverage)
    }
}
