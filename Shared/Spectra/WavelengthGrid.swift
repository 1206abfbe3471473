import Foundation
import Synchronization

/// A log-linear wavelength grid: pixel i is at 10^(log10Start + i·step) Å (vacuum).
///
/// LAMOST's own solution is log-linear with step 1e-4 (≈69 km/s per pixel), but the first
/// and last pixel differ between spectrographs, so every spectrum is brought to one grid.
public struct WavelengthGrid: Sendable, Hashable, Codable {
    public var log10Start: Double
    public var step: Double
    public var count: Int

    enum CodingKeys: String, CodingKey {
        case log10Start = "log10_start", step, count
    }

    public init(log10Start: Double, step: Double, count: Int) {
        self.log10Start = log10Start
        self.step = step
        self.count = count
    }

    /// From `start` to at least `end` Å with the given log10 step.
    public init(from start: Double, to end: Double, step: Double = 1e-4) {
        log10Start = log10(start)
        self.step = step
        count = Int(((log10(end) - log10(start)) / step).rounded(.up)) + 1
    }

    /// The pipeline's common grid: 3700–9060 Å, the range every DR5 spectrograph covers.
    public static let common = WavelengthGrid(from: 3700, to: 9060)

    public func wavelength(at index: Int) -> Double { pow(10, log10Start + Double(index) * step) }

    /// Pixel centres (Å), computed once per grid.
    public var wavelengths: [Double] { GridTables.for(self).wavelengths }

    /// Pixel edges (count + 1 values), halfway between centres in log λ; computed once per grid.
    public var edges: [Double] { GridTables.for(self).edges }

    /// The (fractional) pixel index of wavelength λ.
    public func index(of wavelength: Double) -> Double { (log10(wavelength) - log10Start) / step }
}

/// The wavelengths and edges of the grids in use: every spectrum shares one grid, and `pow`
/// per pixel per use was the largest single cost of feature extraction.
final class GridTables: Sendable {
    let wavelengths: [Double]
    let edges: [Double]

    private init(_ grid: WavelengthGrid) {
        wavelengths = (0..<grid.count).map { pow(10, grid.log10Start + Double($0) * grid.step) }
        edges = (0...grid.count).map { pow(10, grid.log10Start + (Double($0) - 0.5) * grid.step) }
    }

    private static let cache = Mutex<[WavelengthGrid: GridTables]>([:])

    static func `for`(_ grid: WavelengthGrid) -> GridTables {
        if let tables = cache.withLock({ $0[grid] }) { return tables }
        let tables = GridTables(grid)
        cache.withLock { $0[grid] = tables }
        return tables
    }
}
