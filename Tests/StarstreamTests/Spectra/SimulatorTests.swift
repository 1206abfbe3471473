import Foundation
import Spectra
import Testing

@Suite("starstream-sim: offline DR5-layout spectra")
struct SimulatorTests {
    func simulate(seed: Int, count: Int, broken: Int = 0, extra: [String] = []) async throws -> String {
        let out = try makeTemporaryDirectory("sim")
        let process = try ServiceProcess(
            "starstream-sim", arguments: ["--count", String(count), "--seed", String(seed), "--out", out, "--broken", String(broken)] + extra)
        #expect(await process.waitForExit(timeout: .seconds(120)) == 0, "\(process.errorText)")
        return out
    }

    func files(in directory: String) throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: directory).filter { $0.contains(".fits") }.sorted().map { directory + "/" + $0 }
    }

    @Test("the same seed writes the same files; another seed writes others")
    func deterministic() async throws {
        let first = try await simulate(seed: 7, count: 12, extra: ["--uncompressed"])
        let again = try await simulate(seed: 7, count: 12, extra: ["--uncompressed"])
        let other = try await simulate(seed: 8, count: 12, extra: ["--uncompressed"])
        let (a, b, c) = (try files(in: first), try files(in: again), try files(in: other))
        #expect(a.count == 12)
        for (x, y) in zip(a, b) { #expect(FileManager.default.contentsEqual(atPath: x, andPath: y), "\(x)") }
        #expect(!FileManager.default.contentsEqual(atPath: a[0], andPath: c[0]))
    }

    @Test("the COADD binary-table layout of later releases reads to the same arrays, header, catalog row and features as DR5's image")
    func coaddLayout() async throws {
        let images = try files(in: try await simulate(seed: 5, count: 8))
        let tables = try files(in: try await simulate(seed: 5, count: 8, extra: ["--layout", "coadd"]))
        #expect(images.count == 8 && tables.count == 8)
        for (imagePath, tablePath) in zip(images, tables) {
            let (image, table) = (try SpectrumFile.read(imagePath), try SpectrumFile.read(tablePath))
            #expect(image.layout == .primaryImage && table.layout == .coaddTable)
            #expect(table.flux == image.flux && table.inverseVariance == image.inverseVariance && table.wavelength == image.wavelength)
            #expect(table.andMask == image.andMask && table.orMask == image.orMask)
            var entry = try CatalogEntry(table)
            #expect(entry.layout == .coaddTable)
            entry.layout = .primaryImage
            #expect(entry == (try CatalogEntry(image)), "\(tablePath)")
            let features = { (file: SpectrumFile) throws in FeatureExtractor().extract(try Preprocessor().process(file), redshift: entry.redshift) }
            #expect(try features(table) == (try features(image)))
        }
    }

    @Test("simulated files read like real ones, with the classes and redshifts their headers claim, and the defects asked for")
    func readableWithDefects() async throws {
        let out = try await simulate(seed: 3, count: 60, broken: 3)
        var classes: Set<String> = []
        var rejected: [String] = []
        for path in try files(in: out) {
            switch Self.check(path) {
            case .success(let (entry, spectrum)):
                classes.insert(entry.objectClass)
                #expect(spectrum.goodFraction > 0.9)
                if entry.objectClass == "GALAXY" { #expect((0.01...0.3).contains(entry.redshift ?? -1)) }
                if entry.objectClass == "STAR" { #expect(entry.mkLetter != nil) }
            case .failure(let error):
                rejected.append(error.reason)
            }
        }
        #expect(classes.isSuperset(of: ["STAR", "GALAXY"]))
        #expect(rejected.count == 3)
        #expect(rejected.contains { $0.contains("unreadable FITS") })
        #expect(rejected.contains { $0.contains("missing keyword CLASS") })
        #expect(rejected.contains { $0.contains("pixels are usable") })
    }

    /// What the cataloger and the preprocessor make of one file.
    static func check(_ path: String) -> Result<(CatalogEntry, PreprocessedSpectrum), SpectrumFileError> {
        Result { () throws(SpectrumFileError) in
            let file = try SpectrumFile.read(path)
            return (try CatalogEntry(file), try Preprocessor().process(file))
        }
    }
}
