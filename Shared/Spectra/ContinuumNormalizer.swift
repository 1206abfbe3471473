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

    /// Nil when fewer good pixels remain than the fit needs.
    public func normalize(wavelength: [Double], flux: [Double], inverseVariance: [Double]) -> Result? {
        let count = wavelength.count
        guard count > 0, let first = wavelength.first, let last = wavelength.last, last > first else { return nil }
        let (low, high) = (log10(first), log10(last))
        let x = wavelength.map { 2 * (log10($0) - low) / (high - low) - 1 }
        let basis = x.map { Self.legendre($0, degree: degree) }
        var used = (0..<count).map { inverseVariance[$0] > 0 && flux[$0].isFinite }
        let minimum = max(4 * (degree + 1), count / 10)
        var coefficients = [Double](repeating: 0, count: degree + 1)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            guard used.lazy.filter({ $0 }).count >= minimum,
                let solution = Self.weightedFit(basis: basis, values: flux, weights: inverseVariance, use: used)
            else { return nil }
            coefficients = solution
            // Normalised residuals; their robust spread scales the clip when the model, not the
            // noise, limits the fit (high signal-to-noise).
            var residuals: [Double] = []
            residuals.reserveCapacity(count)
            for index in 0..<count where used[index] {
                residuals.append((flux[index] - Self.dot(coefficients, basis[index])) * inverseVariance[index].squareRoot())
            }
            let spread = max(1, 1.4826 * Self.median(residuals.map(abs)))
            var changed = false
            for index in 0..<count where inverseVariance[index] > 0 {
                let residual = (flux[index] - Self.dot(coefficients, basis[index])) * inverseVariance[index].squareRoot()
                let keep = residual > -lowerClip * spread && residual < upperClip * spread
                // Clipping only removes: a pixel dropped once stays out, so the loop converges.
                if !keep && used[index] {
                    used[index] = false
                    changed = true
                }
            }
            if !changed { break }
        }
        let continuum = basis.map { Self.dot(coefficients, $0) }
        var normalized = [Double](repeating: 0, count: count)
        var normalizedIvar = [Double](repeating: 0, count: count)
        for index in 0..<count where continuum[index] > 0 && inverseVariance[index] > 0 {
            normalized[index] = flux[index] / continuum[index]
            normalizedIvar[index] = inverseVariance[index] * continuum[index] * continuum[index]
        }
        return Result(
            continuum: continuum, flux: normalized, inverseVariance: normalizedIvar,
            fittedPixels: used.lazy.filter { $0 }.count, iterations: iterations)
    }

    // MARK: - Numerics

    static func legendre(_ x: Double, degree: Int) -> [Double] {
        var values = [1.0, x]
        if degree < 1 { return [1] }
        for n in 1..<degree {
            let next = (Double(2 * n + 1) * x * values[n] - Double(n) * values[n - 1]) / Double(n + 1)
            values.append(next)
        }
        return values
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for index in 0..<a.count { sum += a[index] * b[index] }
        return sum
    }

    /// Weighted least squares through the normal equations (a small system: degree + 1 unknowns).
    static func weightedFit(basis: [[Double]], values: [Double], weights: [Double], use: [Bool]) -> [Double]? {
        let size = basis.first?.count ?? 0
        var matrix = [Double](repeating: 0, count: size * size)
        var vector = [Double](repeating: 0, count: size)
        // Weights are scaled to a mean of 1 so the system's conditioning does not depend on flux units.
        var weightSum = 0.0, used = 0.0
        for index in 0..<values.count where use[index] { weightSum += weights[index]; used += 1 }
        guard used > 0, weightSum > 0 else { return nil }
        let scale = used / weightSum
        for index in 0..<values.count where use[index] {
            let weight = weights[index] * scale
            let row = basis[index]
            for i in 0..<size {
                vector[i] += weight * row[i] * values[index]
                for j in i..<size { matrix[i * size + j] += weight * row[i] * row[j] }
            }
        }
        for i in 0..<size { for j in 0..<i { matrix[i * size + j] = matrix[j * size + i] } }
        return solve(matrix, vector, size: size)
    }

    /// Gaussian elimination with partial pivoting.
    static func solve(_ matrix: [Double], _ vector: [Double], size: Int) -> [Double]? {
        var a = matrix, b = vector
        for column in 0..<size {
            var pivot = column
            for row in column..<size where abs(a[row * size + column]) > abs(a[pivot * size + column]) { pivot = row }
            guard abs(a[pivot * size + column]) > 1e-300 else { return nil }
            if pivot != column {
                for k in 0..<size { a.swapAt(column * size + k, pivot * size + k) }
                b.swapAt(column, pivot)
            }
            for row in (column + 1)..<size {
                let factor = a[row * size + column] / a[column * size + column]
                if factor == 0 { continue }
                for k in column..<size { a[row * size + k] -= factor * a[column * size + k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: size)
        for row in stride(from: size - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<size { sum -= a[row * size + k] * x[k] }
            x[row] = sum / a[row * size + row]
        }
        return x
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 0 ? 0.5 * (sorted[middle - 1] + sorted[middle]) : sorted[middle]
    }
}
