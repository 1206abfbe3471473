import Foundation
@testable import Spectra
import Testing

@Suite("Exact medians without sorting")
struct MedianTests {
    /// The definition: the middle of the sorted values, or the mean of the two middle ones.
    static func sortedMedian(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : 0.5 * (sorted[middle - 1] + sorted[middle])
    }

    @Test("equal to the sorted median for odd and even counts, skewed, tied and signed values")
    func matchesDefinition() {
        var generator = SystemRandomNumberGenerator()
        var cases: [(String, [Double])] = []
        for count in [1, 2, 3, 4, 255, 256, 257, 1000, 3889, 3890] {
            cases.append(("uniform \(count)", (0..<count).map { _ in Double.random(in: 0..<1, using: &generator) }))
            cases.append(("|normal| with outliers \(count)", (0..<count).map { index in
                let u = Double.random(in: 1e-12..<1, using: &generator), v = Double.random(in: 0..<1, using: &generator)
                let normal = abs((-2 * log(u)).squareRoot() * cos(2 * .pi * v))
                return index % 97 == 0 ? normal * 1e6 : normal
            }))
            cases.append(("ties \(count)", (0..<count).map { _ in Double(Int.random(in: 0..<3, using: &generator)) }))
            cases.append(("signed \(count)", (0..<count).map { _ in Double.random(in: -5..<5, using: &generator) }))
        }
        cases.append(("all zero", [Double](repeating: 0, count: 1000)))
        cases.append(("one huge value", [Double](repeating: 1, count: 999) + [1e300]))
        cases.append(("half huge", [Double](repeating: 1, count: 500) + [Double](repeating: 1e300, count: 500)))
        cases.append(("zeros and subnormals", [Double](repeating: 0, count: 900) + [Double](repeating: 5e-324, count: 100)))
        for (name, values) in cases {
            var work = values
            #expect(work.withUnsafeMutableBufferPointer { Median.inPlace($0) } == Self.sortedMedian(values), "\(name)")
        }
    }
}
