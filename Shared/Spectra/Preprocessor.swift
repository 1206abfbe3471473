import Foundation

/// A spectrum on the common grid, continuum-normalised: the preprocessor's output and the
/// feature extractor's input.
public struct PreprocessedSpectrum: Sendable, Codable {
    public var grid: WavelengthGrid
    /// Flux divided by the continuum (≈1 in the continuum); 0 where masked.
    public var flux: [Double]
    /// Inverse variance of `flux`; 0 marks a masked pixel.
    public var inverseVariance: [Double]
    /// The fitted continuum in the file's flux units.
    public var continuum: [Double]
    /// Share of grid pixels with good data.
    public var goodFraction: Double
    /// Median signal-to-noise per pixel of the normalised spectrum.
    public var medianSNR: Double

    public init(
        grid: WavelengthGrid, flux: [Double], inverseVariance: [Double], continuum: [Double], goodFraction: Double, medianSNR: Double
    ) {
        (self.grid, self.flux, self.inverseVariance, self.continuum) = (grid, flux, inverseVariance, continuum)
        (self.goodFraction, self.medianSNR) = (goodFraction, medianSNR)
    }
}

/// Mask → resample onto the common grid → continuum-normalise.
public struct Preprocessor: Sendable {
    public let grid: WavelengthGrid
    public let normalizer: ContinuumNormalizer
    /// The continuum basis over the grid, computed once.
    let basis: ContinuumNormalizer.Basis?

    public init(grid: WavelengthGrid = .common, normalizer: ContinuumNormalizer = ContinuumNormalizer()) {
        self.grid = grid
        self.normalizer = normalizer
        basis = normalizer.basis(for: grid.wavelengths)
    }

    public func process(_ spectrum: SpectrumFile) throws(SpectrumFileError) -> PreprocessedSpectrum {
        let good = Masking.goodPixels(flux: spectrum.flux, inverseVariance: spectrum.inverseVariance, andMask: spectrum.andMask)
        return try process(
            wavelength: spectrum.wavelength.map(Double.init), flux: spectrum.flux.map(Double.init),
            inverseVariance: spectrum.inverseVariance.map(Double.init), good: good, file: spectrum.fileName)
    }

    public func process(
        wavelength: [Double], flux: [Double], inverseVariance: [Double], good: [Bool], file: String
    ) throws(SpectrumFileError) -> PreprocessedSpectrum {
        let goodInput = good.lazy.filter { $0 }.count
        guard goodInput >= wavelength.count / 4 else {
            throw SpectrumFileError(file: file, reason: "only \(goodInput) of \(wavelength.count) pixels are usable")
        }
        let resampled = Resampler.resample(wavelength: wavelength, flux: flux, inverseVariance: inverseVariance, good: good, onto: grid)
        guard let normalized = normalizer.normalize(
            wavelength: grid.wavelengths, flux: resampled.flux, inverseVariance: resampled.inverseVariance, basis: basis)
        else { throw SpectrumFileError(file: file, reason: "continuum fit failed: too few good pixels on the common grid") }
        let goodPixels = normalized.inverseVariance.lazy.filter { $0 > 0 }.count
        var snr = (0..<grid.count).compactMap { index -> Double? in
            normalized.inverseVariance[index] > 0 ? abs(normalized.flux[index]) * normalized.inverseVariance[index].squareRoot() : nil
        }
        return PreprocessedSpectrum(
            grid: grid, flux: normalized.flux, inverseVariance: normalized.inverseVariance, continuum: normalized.continuum,
            goodFraction: Double(goodPixels) / Double(grid.count), medianSNR: snr.withUnsafeMutableBufferPointer { Median.inPlace($0) })
    }
}
