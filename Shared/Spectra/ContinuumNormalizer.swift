import Foundation

/// Divides a spectrum by a smooth continuum: a Legendre polynomial in log λ fitted by
/// inverse-variance-weighted least squares with asymmetric sigma clipping, so that absorption
/// lines (clipped below) and emission lines (clipped above) do not pull it.
public struct ContinuumNormalizer: Sendable {
    public var degree = 7
    /// Pixels this many standard deviations below the fit are dropped (absorption lines).
    public var lowerClip = 2.0
    /// … and this many above (emission lines, cosmic rays).
    public var upperClip = 3.0
    public var maxIterations = 10

    public init() {}

    public struct Result: Sendable {
        public var continuum: [Double]
        public var flux: [Double]
        public var inverseVariance: [Double]
        /// Pixels the final fit used (the rest were masked or clipped).
        public var fittedPixels: Int
        public var iterations: Int
    }

    public func basis(for wavelength: [Double]) -> Basis? {
        Basis(wavelength: wavelength, degree: degree)
    }

    /// Nil when fewer good pixels remain than the fit needs.
    public func normalize(wavelength: [Double], flux: [Double], inverseVariance: [Double], basis: Basis? = nil) -> Result? {
        let count = wavelength.count
        guard count > 0, flux.count == count, inverseVariance.count == count,
            let basis = basis ?? self.basis(for: wavelength), basis.count == count, basis.size == degree + 1
        else { return nil }
        let use = (0..<count).map { inverseVariance[$0] > 0 && flux[$0].isFinite }
        // The pixels still in the fit, in order; clipping compacts the list in place.
        var active = (0..<count).filter { use[$0] }
        let minimum = max(4 * (degree + 1), count / 10)
        guard active.count >= minimum, var system = NormalEquations(basis: basis, values: flux, weights: inverseVariance, use: use) else { return nil }
        var model = [Double](repeating: 0, count: count)
        /// √ivar: turns a residual into standard deviations.
        let sigma = inverseVariance.map { $0 > 0 ? $0.squareRoot() : 0 }
        var residuals = [Double](repeating: 0, count: count)
        var magnitudes = [Double](repeating: 0, count: count)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            guard active.count >= minimum, let coefficients = system.solve() else { return nil }
            basis.evaluate(coefficients, into: &model)
            // Normalised residuals of the active pixels; their robust spread scales the clip when
            // the model, not the noise, limits the fit (high signal-to-noise).
            let spread = Self.residuals(
                active: active, flux: flux, model: model, sigma: sigma, residuals: &residuals, magnitudes: &magnitudes)
            let (low, high) = (-lowerClip * spread, upperClip * spread)
            // Clipping only removes: a pixel dropped once stays out, so the loop converges,
            // and the normal equations are updated by subtracting the dropped pixels alone.
            let kept = residuals.withUnsafeBufferPointer { residuals in
                active.withUnsafeMutableBufferPointer { active in
                    var kept = 0
                    for position in 0..<active.count {
                        let residual = residuals[position]
                        if residual <= low || residual >= high {
                            system.remove(pixel: active[position])
                        } else {
                            active[kept] = active[position]
                            kept += 1
                        }
                    }
                    return kept
                }
            }
            if kept == active.count { break }
            active.removeLast(active.count - kept)
        }
        var normalized = [Double](repeating: 0, count: count)
        var normalizedIvar = [Double](repeating: 0, count: count)
        for index in 0..<count where model[index] > 0 && inverseVariance[index] > 0 {
            normalized[index] = flux[index] / model[index]
            normalizedIvar[index] = inverseVariance[index] * model[index] * model[index]
        }
        return Result(continuum: model, flux: normalized, inverseVariance: normalizedIvar, fittedPixels: active.count, iterations: iterations)
    }

    /// Fills `residuals[position]` with (flux − model)·√ivar of `active[position]` and returns
    /// their spread: max(1, 1.4826 · median |residual|), 1 when the noise explains them, larger
    /// when the model's shape limits the fit.
    ///
    /// When more than half of the |residuals| are at most 1/1.4826, the median is too and the
    /// spread is exactly 1, so the median is selected only otherwise. (Multiplication by a
    /// positive constant is monotonic in floating point, and the mean of two such values is at
    /// most the larger: the shortcut gives the same number.)
    private static func residuals(
        active: [Int], flux: [Double], model: [Double], sigma: [Double], residuals: inout [Double], magnitudes: inout [Double]
    ) -> Double {
        let count = active.count
        var small = 0
        var sum = 0.0
        active.withUnsafeBufferPointer { active in
            flux.withUnsafeBufferPointer { flux in
                model.withUnsafeBufferPointer { model in
                    sigma.withUnsafeBufferPointer { sigma in
                        residuals.withUnsafeMutableBufferPointer { residuals in
                            magnitudes.withUnsafeMutableBufferPointer { magnitudes in
                                for position in 0..<count {
                                    let index = active[position]
                                    let residual = (flux[index] - model[index]) * sigma[index]
                                    let magnitude = abs(residual)
                                    residuals[position] = residual
                                    magnitudes[position] = magnitude
                                    sum += magnitude
                                    small += 1.4826 * magnitude <= 1 ? 1 : 0
                                }
                            }
                        }
                    }
                }
            }
        }
        if small >= count / 2 + 1 { return 1 }
        let median = magnitudes.withUnsafeMutableBufferPointer { Median.inPlace(UnsafeMutableBufferPointer(rebasing: $0[..<count]), sum: sum) }
        return max(1, 1.4826 * median)
    }
}
