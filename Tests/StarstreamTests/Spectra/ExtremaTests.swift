import Foundation
@testable import Spectra
import Testing

@Suite("Absorption dips and emission peaks")
struct ExtremaTests {
    @Test("the sliding minimum equals the minimum of every window, infinities included")
    func slidingMinimum() {
        var state: UInt64 = 7
        let values = (0..<500).map { index -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return index % 13 == 0 ? .infinity : Double(state >> 40) / 1e3
        }
        for length in [1, 2, 5, 31, 499, 500] {
            let expected = (0...(values.count - length)).map { values[$0..<($0 + length)].min()! }
            #expect(Extrema.slidingMinimum(values, length: length) == expected, "window \(length)")
        }
        #expect(Extrema.slidingMinimum(values, length: 501).isEmpty)
    }

    @Test("three absorption lines and one emission line on a flat spectrum, with a masked stretch")
    func knownLines() {
        let grid = WavelengthGrid.common
        func gaussian(_ index: Int, _ center: Int, _ amplitude: Double) -> Double {
            amplitude * exp(-0.5 * pow(Double(index - center) / 3, 2))
        }
        let flux = (0..<grid.count).map { 1 - gaussian($0, 500, 0.5) - gaussian($0, 1500, 0.3) - gaussian($0, 2500, 0.05) + gaussian($0, 3000, 0.8) }
        // A masked stretch with garbage flux must not create or hide anything.
        let ivar = (0..<grid.count).map { (2000..<2040).contains($0) ? 0.0 : 1e4 }
        let masked = flux.indices.map { (2000..<2040).contains($0) ? -50 : flux[$0] }
        let spectrum = PreprocessedSpectrum(
            grid: grid, flux: masked, inverseVariance: ivar, continuum: flux.map { _ in 1 }, goodFraction: 0.99, medianSNR: 100)
        let extrema = Extrema(spectrum)
        // The 0.05-deep line is below the 0.1 prominence threshold.
        #expect(extrema.dips == 2)
        #expect(extrema.peaks == 1)
        // Prominences are of the smoothed profile: the line's amplitude times the 5-pixel mean
        // of its Gaussian at the centre.
        let smoothing = (-2...2).map { exp(-0.5 * pow(Double($0) / 3, 2)) }.reduce(0, +) / 5
        #expect(abs(extrema.maxDip! - 0.5 * smoothing) < 1e-4, "\(extrema.maxDip!)")
        #expect(abs(extrema.maxPeak! - 0.8 * smoothing) < 1e-4, "\(extrema.maxPeak!)")
    }
}
