import Foundation
import Spectra
import Testing

/// Analytic spectra with known answers: what the preprocessing and line measurement must get right.
@Suite("Preprocessing and line measurement on analytic spectra")
struct PreprocessingTests {
    /// A DR5-like observed grid: log-linear from 3699.99 Å, Δlog10λ = 1e-4.
    static let observed = (0..<3909).map { pow(10, 3.5682 + 1e-4 * Double($0)) }

    /// A smooth stellar-like continuum: a 6000 K Planck curve, scaled to ~1000 counts.
    static func planck(_ wavelength: Double, temperature: Double = 6000) -> Double {
        let lambda = wavelength * 1e-10
        let value = 1 / (pow(lambda, 5) * (exp(0.014387769 / (lambda * temperature)) - 1))
        return value / 2.6e13 * 1000
    }

    /// Gaussian absorption: depth `depth` at `center`, width σ; equivalent width = depth·σ·√(2π).
    static func absorption(_ wavelength: Double, center: Double, sigma: Double, depth: Double) -> Double {
        1 - depth * exp(-0.5 * pow((wavelength - center) / sigma, 2))
    }

    @Test("resampling onto the common grid conserves flux")
    func resamplingConservesFlux() {
        let wavelength = Self.observed
        let flux = wavelength.map { Self.planck($0) * Self.absorption($0, center: 4862.69, sigma: 5, depth: 0.6) }
        let grid = WavelengthGrid.common
        let result = Resampler.resample(
            wavelength: wavelength, flux: flux, inverseVariance: flux.map { _ in 1 }, good: flux.map { _ in true }, onto: grid)
        // Integrate both over the same interval [edges[a], edges[b]] of the output grid.
        let edges = grid.edges
        let (a, b) = (10, grid.count - 10)
        let outIntegral = (a..<b).reduce(0.0) { $0 + result.flux[$1] * (edges[$1 + 1] - edges[$1]) }
        var inEdges = [wavelength[0] - 0.5 * (wavelength[1] - wavelength[0])]
        for index in 1..<wavelength.count { inEdges.append(0.5 * (wavelength[index - 1] + wavelength[index])) }
        inEdges.append(wavelength.last! + 0.5 * (wavelength.last! - wavelength[wavelength.count - 2]))
        var inIntegral = 0.0
        for index in 0..<wavelength.count {
            let overlap = min(inEdges[index + 1], edges[b]) - max(inEdges[index], edges[a])
            if overlap > 0 { inIntegral += overlap * flux[index] }
        }
        #expect(abs(outIntegral / inIntegral - 1) < 1e-9, "∫f dλ: \(inIntegral) in, \(outIntegral) out")
    }

    @Test("masked input pixels are excluded; a grid pixel mostly without good input is masked")
    func maskedPixels() {
        let wavelength = Self.observed
        let flux = wavelength.map { _ in 100.0 }
        var good = flux.map { _ in true }
        for index in 2000..<2010 { good[index] = false }
        var poisoned = flux
        for index in 2000..<2010 { poisoned[index] = .nan }
        let masking = Masking.goodPixels(
            flux: poisoned.map(Float.init), inverseVariance: flux.map { _ in 1 }, andMask: flux.indices.map { $0 == 5 ? 4 : 0 })
        #expect(masking.filter { !$0 }.count == 11, "ten NaNs and one andmask bit")
        let result = Resampler.resample(
            wavelength: wavelength, flux: poisoned, inverseVariance: flux.map { _ in 1 }, good: good, onto: .common)
        let hole = Int(WavelengthGrid.common.index(of: wavelength[2005]).rounded())
        #expect(result.inverseVariance[hole] == 0)
        #expect(result.flux.allSatisfy { $0.isFinite })
        #expect(result.flux[hole + 40] == 100)
    }

    @Test("a noiseless smooth continuum normalises flat within 0.5%, with and without lines")
    func continuumIsFlat() throws {
        let wavelength = Self.observed
        let lines: [(Double, Double, Double)] = [(6564.61, 6, 0.5), (4862.69, 5, 0.55), (4341.69, 4, 0.5), (3934.77, 4, 0.7), (5891.6, 2, 0.4)]
        for withLines in [false, true] {
            let flux = wavelength.map { lambda in
                lines.reduce(Self.planck(lambda)) { withLines ? $0 * Self.absorption(lambda, center: $1.0, sigma: $1.1, depth: $1.2) : $0 }
            }
            let ivar = flux.map { 1 / pow(0.01 * $0, 2) }  // S/N 100 per pixel
            let result = try Preprocessor().process(wavelength: wavelength, flux: flux, inverseVariance: ivar, good: flux.map { _ in true }, file: "analytic")
            let grid = result.grid
            var worst = 0.0
            for index in 0..<grid.count where result.inverseVariance[index] > 0 {
                let lambda = grid.wavelength(at: index)
                if withLines && lines.contains(where: { abs(lambda - $0.0) < 6 * $0.1 }) { continue }
                worst = max(worst, abs(result.flux[index] - 1))
            }
            #expect(worst < 0.005, "largest departure from 1 in the continuum: \(worst) (lines: \(withLines))")
        }
    }

    @Test("a Gaussian absorption line of known equivalent width is measured within 2%")
    func equivalentWidth() throws {
        let wavelength = Self.observed
        // Hα at the survey's vacuum wavelength: depth 0.5, σ 4 Å → EW = 0.5·4·√(2π) ≈ 5.013 Å.
        let (center, sigma, depth) = (6564.61, 4.0, 0.5)
        let expected = depth * sigma * (2 * Double.pi).squareRoot()
        let flux = wavelength.map { Self.planck($0) * Self.absorption($0, center: center, sigma: sigma, depth: depth) }
        let spectrum = try Preprocessor().process(
            wavelength: wavelength, flux: flux, inverseVariance: flux.map { 1 / pow(0.01 * $0, 2) }, good: flux.map { _ in true }, file: "analytic")
        let measured = try #require(LineMeasurement.measure(spectrum, bands: .around(center, halfWidth: 25, sideWidth: 20, gap: 5)))
        #expect(abs(measured.equivalentWidth / expected - 1) < 0.02, "EW \(measured.equivalentWidth) Å, expected \(expected) Å")
        #expect(abs(measured.depth - depth) < 0.02)

        // The same line redshifted by z = 0.05 is found where the bands are moved by (1 + z).
        let z = 0.05
        let shifted = wavelength.map { Self.planck($0) * Self.absorption($0, center: center * (1 + z), sigma: sigma * (1 + z), depth: depth) }
        let redshifted = try Preprocessor().process(
            wavelength: wavelength, flux: shifted, inverseVariance: shifted.map { 1 / pow(0.01 * $0, 2) }, good: shifted.map { _ in true }, file: "analytic")
        let observedFrame = try #require(LineMeasurement.measure(redshifted, bands: .around(center, halfWidth: 25, sideWidth: 20, gap: 5, redshift: z)))
        // Observed equivalent widths grow by (1 + z).
        #expect(abs(observedFrame.equivalentWidth / (expected * (1 + z)) - 1) < 0.02)
    }

    @Test("the real fixtures preprocess onto the common grid with a sensible continuum")
    func realFixtures() throws {
        for path in try Fixtures.lamostFiles() {
            let spectrum = try SpectrumFile.read(path)
            let result = try Preprocessor().process(spectrum)
            #expect(result.flux.count == WavelengthGrid.common.count)
            #expect(result.goodFraction > 0.8, "\(spectrum.fileName): \(result.goodFraction)")
            let good = result.flux.indices.filter { result.inverseVariance[$0] > 0 }.map { result.flux[$0] }
            let median = good.sorted()[good.count / 2]
            #expect(abs(median - 1) < 0.15, "\(spectrum.fileName): median normalised flux \(median)")
        }
    }
}
