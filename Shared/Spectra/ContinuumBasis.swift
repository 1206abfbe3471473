import Foundation

extension ContinuumNormalizer {
    /// The Legendre basis in log λ over a set of wavelengths. It depends only on the
    /// wavelengths: the preprocessor builds it once for its grid.
    public struct Basis: Sendable {
        public let count: Int
        public let size: Int
        /// Column-major (`columns[k * count + pixel]`): every pass over one term is contiguous,
        /// which the compiler vectorises.
        let columns: [Double]

        public init?(wavelength: [Double], degree: Int) {
            guard let first = wavelength.first, let last = wavelength.last, last > first, degree >= 0 else { return nil }
            let (low, high) = (log10(first), log10(last))
            count = wavelength.count
            size = degree + 1
            var columns = [Double](repeating: 0, count: count * size)
            for pixel in 0..<count {
                let x = 2 * (log10(wavelength[pixel]) - low) / (high - low) - 1
                for (k, value) in Self.legendre(x, degree: degree).enumerated() { columns[k * count + pixel] = value }
            }
            self.columns = columns
        }

        /// P₀(x) … P_degree(x) by Bonnet's recursion.
        static func legendre(_ x: Double, degree: Int) -> [Double] {
            guard degree >= 1 else { return [1] }
            var values = [1.0, x]
            for n in 1..<degree {
                values.append((Double(2 * n + 1) * x * values[n] - Double(n) * values[n - 1]) / Double(n + 1))
            }
            return values
        }

        /// `model[pixel] = Σₖ coefficients[k] · Pₖ(x_pixel)` for every pixel, terms added in order.
        func evaluate(_ coefficients: [Double], into model: inout [Double]) {
            let (count, size) = (count, size)
            columns.withUnsafeBufferPointer { columns in
                model.withUnsafeMutableBufferPointer { model in
                    guard let base = columns.baseAddress, let out = model.baseAddress else { return }
                    if size == 8 {
                        // The default degree in one pass: eight loads and one store per pixel
                        // instead of eight read-modify-write passes over the model.
                        let (c0, c1, c2, c3) = (coefficients[0], coefficients[1], coefficients[2], coefficients[3])
                        let (c4, c5, c6, c7) = (coefficients[4], coefficients[5], coefficients[6], coefficients[7])
                        let (b0, b1, b2, b3) = (base, base + count, base + 2 * count, base + 3 * count)
                        let (b4, b5, b6, b7) = (base + 4 * count, base + 5 * count, base + 6 * count, base + 7 * count)
                        for pixel in 0..<count {
                            var sum = c0 * b0[pixel]
                            sum += c1 * b1[pixel]
                            sum += c2 * b2[pixel]
                            sum += c3 * b3[pixel]
                            sum += c4 * b4[pixel]
                            sum += c5 * b5[pixel]
                            sum += c6 * b6[pixel]
                            sum += c7 * b7[pixel]
                            out[pixel] = sum
                        }
                        return
                    }
                    let c0 = coefficients[0]
                    for pixel in 0..<count { out[pixel] = c0 * base[pixel] }
                    for k in 1..<size {
                        let (ck, column) = (coefficients[k], base + k * count)
                        for pixel in 0..<count { out[pixel] += ck * column[pixel] }
                    }
                }
            }
        }
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
            let (count, size) = (basis.count, basis.size)
            var weightSum = 0.0, used = 0
            for pixel in 0..<count where use[pixel] { weightSum += weights[pixel]; used += 1 }
            guard used > 0, weightSum > 0 else { return nil }
            let scale = Double(used) / weightSum
            // Unused pixels get weight 0 and value 0 (their flux may be NaN, and 0 · NaN is NaN).
            var weighted = [Double](repeating: 0, count: count)
            var cleanValues = [Double](repeating: 0, count: count)
            for pixel in 0..<count where use[pixel] {
                weighted[pixel] = weights[pixel] * scale
                cleanValues[pixel] = values[pixel]
            }
            // Every entry is a dot product over the pixels: w·bᵢ once per term, then against bⱼ and f.
            var matrix = [Double](repeating: 0, count: size * size)
            var vector = [Double](repeating: 0, count: size)
            var product = [Double](repeating: 0, count: count)
            basis.columns.withUnsafeBufferPointer { columns in
                for i in 0..<size {
                    let bi = UnsafeBufferPointer(rebasing: columns[(i * count)..<((i + 1) * count)])
                    product.withUnsafeMutableBufferPointer { product in
                        weighted.withUnsafeBufferPointer { weighted in
                            for pixel in 0..<count { product[pixel] = weighted[pixel] * bi[pixel] }
                        }
                    }
                    product.withUnsafeBufferPointer { product in
                        vector[i] = cleanValues.withUnsafeBufferPointer { Self.dot(product, $0) }
                        for j in i..<size {
                            matrix[i * size + j] = Self.dot(product, UnsafeBufferPointer(rebasing: columns[(j * count)..<((j + 1) * count)]))
                        }
                    }
                }
            }
            (self.basis, self.values, self.weights, self.scale, self.matrix, self.vector) = (basis, values, weights, scale, matrix, vector)
        }

        mutating func remove(pixel: Int) {
            let (count, size) = (basis.count, basis.size)
            let weight = weights[pixel] * scale
            basis.columns.withUnsafeBufferPointer { columns in
                for i in 0..<size {
                    let wi = weight * columns[i * count + pixel]
                    vector[i] -= wi * values[pixel]
                    for j in i..<size { matrix[i * size + j] -= wi * columns[j * count + pixel] }
                }
            }
        }

        func solve() -> [Double]? {
            let size = basis.size
            var full = matrix
            for i in 0..<size { for j in 0..<i { full[i * size + j] = full[j * size + i] } }
            return Self.solve(full, vector, size: size)
        }

        /// Σ aᵢbᵢ with four independent partial sums (strict IEEE order would serialise the adds).
        static func dot(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Double {
            let count = min(a.count, b.count)
            var sums = SIMD4<Double>()
            var index = 0
            while index + 4 <= count {
                let x = SIMD4<Double>(a[index], a[index + 1], a[index + 2], a[index + 3])
                let y = SIMD4<Double>(b[index], b[index + 1], b[index + 2], b[index + 3])
                sums += x * y
                index += 4
            }
            var total = sums.sum()
            while index < count { total += a[index] * b[index]; index += 1 }
            return total
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
    }
}
