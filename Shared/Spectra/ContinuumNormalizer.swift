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

    /// The Legendre basis in log λ over `wavelength`, row-major (`values[pixel * size + k]`).
    /// It depends only on the wavelengths: the preprocessor builds it once for its grid.
    public struct Basis: Sendable {
        public let count: Int
        public let size: Int
        let values: [Double]

        public init?(wavelength: [Double], degree: Int) {
            guard let first = wavelength.first, let last = wavelength.last, last > first else { return nil }
            let (low, high) = (log10(first), log10(last))
            count = wavelength.count
            size = degree + 1
            var values = [Double](repeating: 0, count: count * size)
            for index in 0..<count {
                let x = 2 * (log10(wavelength[index]) - low) / (high - low) - 1
                let row = ContinuumNormalizer.legendre(x, degree: degree)
                for k in 0..<size { values[index * size + k] = row[k] }
            }
            self.values = values
        }
    }

    public func basis(for wavelength: [Double]) -> Basis? {
        Basis(wavelength: wavelength, degree: degree)
    }

    /// Nil when fewer good pixels remain than the fit needs.
    public func normalize(wavelength: [Double], flux: [Double], inverseVariance: [Double], basis: Basis? = nil) -> Result? {
        let count = wavelength.count
        guard count > 0, let basis = basis ?? self.basis(for: wavelength), basis.count == count, basis.size == degree + 1 else { return nil }
        let size = basis.size
        var used = (0..<count).map { inverseVariance[$0] > 0 && flux[$0].isFinite }
        var usedCount = used.lazy.filter { $0 }.count
        let minimum = max(4 * (degree + 1), count / 10)
        guard usedCount >= minimum, var system = NormalEquations(basis: basis, values: flux, weights: inverseVariance, use: used) else { return nil }
        var coefficients = [Double](repeating: 0, count: size)
        var model = [Double](repeating: 0, count: count)
        /// √ivar: turns a residual into standard deviations.
        let sigma = inverseVariance.map { $0 > 0 ? $0.squareRoot() : 0 }
        var residuals: [Double] = []
        residuals.reserveCapacity(count)
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            guard usedCount >= minimum, let solution = system.solve() else { return nil }
            coefficients = solution
            basis.values.withUnsafeBufferPointer { basis in
                coefficients.withUnsafeBufferPointer { coefficients in
                    model.withUnsafeMutableBufferPointer { model in
                        for index in 0..<count {
                            var sum = 0.0
                            for k in 0..<size { sum += coefficients[k] * basis[index * size + k] }
                            model[index] = sum
                        }
                    }
                }
            }
            // Normalised residuals; their robust spread scales the clip when the model, not the
            // noise, limits the fit (high signal-to-noise).
            residuals.removeAll(keepingCapacity: true)
            for index in 0..<count where used[index] {
                residuals.append(abs((flux[index] - model[index]) * sigma[index]))
            }
            let spread = max(1, 1.4826 * Self.median(residuals))
            var changed = false
            for index in 0..<count where used[index] {
                let residual = (flux[index] - model[index]) * sigma[index]
                // Clipping only removes: a pixel dropped once stays out, so the loop converges,
                // and the normal equations are updated by subtracting the dropped pixels alone.
                if residual <= -lowerClip * spread || residual >= upperClip * spread {
                    used[index] = false
                    usedCount -= 1
                    system.remove(pixel: index)
                    changed = true
                }
            }
            if !changed { break }
        }
        var normalized = [Double](repeating: 0, count: count)
        var normalizedIvar = [Double](repeating: 0, count: count)
        for index in 0..<count where model[index] > 0 && inverseVariance[index] > 0 {
            normalized[index] = flux[index] / model[index]
            normalizedIvar[index] = inverseVariance[index] * model[index] * model[index]
        }
        return Result(continuum: model, flux: normalized, inverseVariance: normalizedIvar, fittedPixels: usedCount, iterations: iterations)
    }

    /// The weighted least-squares system Σ w b bᵀ c = Σ w f b over the used pixels, kept so
    /// that removing a pixel costs O(size²) instead of a pass over the spectrum.
    struct NormalEquations {
        let basis: Basis
        let values: [Double]
        let weights: [Double]
        /// Weights are scaled to a mean of 1 so the system's conditioning does not depend on flux units.
        let scale: Double
        var matrix: [Double]
        var vector: [Double]

        init?(basis: Basis, values: [Double], weights: [Double], use: [Bool]) {
            let size = basis.size
            var weightSum = 0.0, used = 0.0
            for index in 0..<values.count where use[index] { weightSum += weights[index]; used += 1 }
            guard used > 0, weightSum > 0 else { return nil }
            (self.basis, self.values, self.weights, scale) = (basis, values, weights, used / weightSum)
            var matrix = [Double](repeating: 0, count: size * size)
            var vector = [Double](repeating: 0, count: size)
            let scale = scale
            basis.values.withUnsafeBufferPointer { basis in
                matrix.withUnsafeMutableBufferPointer { matrix in
                    for index in 0..<values.count where use[index] {
                        let weight = weights[index] * scale
                        let row = index * size
                        for i in 0..<size {
                            let wi = weight * basis[row + i]
                            vector[i] += wi * values[index]
                            for j in i..<size { matrix[i * size + j] += wi * basis[row + j] }
                        }
                    }
                }
            }
            (self.matrix, self.vector) = (matrix, vector)
        }

        mutating func remove(pixel index: Int) {
            let size = basis.size
            let weight = weights[index] * scale
            let row = index * size
            for i in 0..<size {
                let wi = weight * basis.values[row + i]
                vector[i] -= wi * values[index]
                for j in i..<size { matrix[i * size + j] -= wi * basis.values[row + j] }
            }
        }

        func solve() -> [Double]? {
            let size = basis.size
            var full = matrix
            for i in 0..<size { for j in 0..<i { full[i * size + j] = full[j * size + i] } }
            return ContinuumNormalizer.solve(full, vector, size: size)
        }
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

    /// The median by selection (Hoare's quickselect), not a full sort: it runs every iteration.
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        var work = values
        let middle = work.count / 2
        let upper = select(&work, middle)
        guard work.count % 2 == 0 else { return upper }
        // The lower middle is the largest value left of the selected position.
        let lower = work[..<middle].max() ?? upper
        return 0.5 * (lower + upper)
    }

    /// Rearranges `values` so that position `k` holds the k-th smallest and returns it.
    private static func select(_ values: inout [Double], _ k: Int) -> Double {
        values.withUnsafeMutableBufferPointer { values in
            var (low, high) = (0, values.count - 1)
            while low < high {
                let pivot = values[(low + high) / 2]
                var (i, j) = (low, high)
                while i <= j {
                    while values[i] < pivot { i += 1 }
                    while values[j] > pivot { j -= 1 }
                    if i <= j {
                        values.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j { high = j } else if k >= i { low = i } else { break }
            }
            return values[k]
        }
    }
}
