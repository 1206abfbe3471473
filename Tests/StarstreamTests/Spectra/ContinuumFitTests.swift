import Foundation
import Spectra
import Testing

/// The continuum fit takes shortcuts for speed (normal equations updated by subtraction, the
/// clipping spread decided by counting, medians by histogram); it must give what the textbook
/// loop gives.
@Suite("Continuum fit equals the textbook sigma-clipping loop")
struct ContinuumFitTests {
    /// Refit from scratch every iteration; spread from a fully sorted median.
    static func textbook(wavelength: [Double], flux: [Double], inverseVariance: [Double]) -> (continuum: [Double], fitted: Int, iterations: Int)? {
        let (degree, count) = (7, wavelength.count)
        let (low, high) = (log10(wavelength[0]), log10(wavelength[count - 1]))
        let basis = wavelength.map { lambda -> [Double] in
            let x = 2 * (log10(lambda) - low) / (high - low) - 1
            var p = [1.0, x]
            for n in 1..<degree { p.append((Double(2 * n + 1) * x * p[n] - Double(n) * p[n - 1]) / Double(n + 1)) }
            return p
        }
        var used = (0..<count).map { inverseVariance[$0] > 0 && flux[$0].isFinite }
        var model = [Double](repeating: 0, count: count)
        var iterations = 0
        while iterations < 10 {
            iterations += 1
            var a = [[Double]](repeating: [Double](repeating: 0, count: degree + 1), count: degree + 1)
            var b = [Double](repeating: 0, count: degree + 1)
            for pixel in 0..<count where used[pixel] {
                for i in 0...degree {
                    b[i] += inverseVariance[pixel] * basis[pixel][i] * flux[pixel]
                    for j in 0...degree { a[i][j] += inverseVariance[pixel] * basis[pixel][i] * basis[pixel][j] }
                }
            }
            guard let c = solve(a, b) else { return nil }
            model = basis.map { p in zip(p, c).reduce(0) { $0 + $1.0 * $1.1 } }
            let residual = (0..<count).map { (flux[$0] - model[$0]) * inverseVariance[$0].squareRoot() }
            let magnitudes = (0..<count).filter { used[$0] }.map { abs(residual[$0]) }.sorted()
            let middle = magnitudes.count / 2
            let median = magnitudes.count % 2 == 1 ? magnitudes[middle] : 0.5 * (magnitudes[middle - 1] + magnitudes[middle])
            let spread = max(1, 1.4826 * median)
            let clipped = (0..<count).filter { used[$0] && (residual[$0] <= -2 * spread || residual[$0] >= 3 * spread) }
            if clipped.isEmpty { break }
            for pixel in clipped { used[pixel] = false }
        }
        return (model, used.filter { $0 }.count, iterations)
    }

    static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
        var (a, b) = (matrix, vector)
        let n = b.count
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }), a[pivot][column] != 0 else { return nil }
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            x[row] = (b[row] - ((row + 1)..<n).reduce(0) { $0 + a[row][$1] * x[$1] }) / a[row][row]
        }
        return x
    }

    static func expectSame(_ name: String, wavelength: [Double], flux: [Double], inverseVariance: [Double]) throws {
        let fast = try #require(ContinuumNormalizer().normalize(wavelength: wavelength, flux: flux, inverseVariance: inverseVariance), "\(name)")
        let slow = try #require(textbook(wavelength: wavelength, flux: flux, inverseVariance: inverseVariance), "\(name)")
        #expect(fast.iterations == slow.iterations, "\(name)")
        #expect(fast.fittedPixels == slow.fitted, "\(name)")
        let worst = zip(fast.continuum, slow.continuum).map { abs($0 - $1) / max(abs($1), 1e-300) }.max() ?? 0
        #expect(worst < 1e-8, "\(name): largest relative difference \(worst)")
    }

    @Test("on the 20 real DR5 spectra resampled to the common grid")
    func realSpectra() throws {
        let grid = WavelengthGrid.common
        for path in try Fixtures.lamostFiles() {
            let file = try SpectrumFile.read(path)
            let good = Masking.goodPixels(flux: file.flux, inverseVariance: file.inverseVariance, andMask: file.andMask)
            let resampled = Resampler.resample(
                wavelength: file.wavelength.map(Double.init), flux: file.flux.map(Double.init),
                inverseVariance: file.inverseVariance.map(Double.init), good: good, onto: grid)
            try Self.expectSame(file.fileName, wavelength: grid.wavelengths, flux: resampled.flux, inverseVariance: resampled.inverseVariance)
        }
    }

    @Test("on noisy synthetic spectra from low to high signal-to-noise, with masked pixels")
    func synthetic() throws {
        var state: UInt64 = 42
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let wavelength = WavelengthGrid.common.wavelengths
        for snr in [5.0, 30, 300] {
            var flux: [Double] = [], ivar: [Double] = []
            for (index, lambda) in wavelength.enumerated() {
                let continuum = 1000 * exp(-pow((lambda - 5500) / 3000, 2))
                let line = 1 - 0.6 * exp(-0.5 * pow((lambda - 6564.61) / 5, 2)) - 0.5 * exp(-0.5 * pow((lambda - 4862.69) / 4, 2))
                let sigma = continuum / snr
                let noise = (-2 * log(max(uniform(), 1e-12))).squareRoot() * cos(2 * .pi * uniform())
                flux.append(continuum * line + sigma * noise)
                ivar.append(index % 211 == 0 ? 0 : 1 / (sigma * sigma))
            }
            try Self.expectSame("S/N \(snr)", wavelength: wavelength, flux: flux, inverseVariance: ivar)
        }
    }
}
