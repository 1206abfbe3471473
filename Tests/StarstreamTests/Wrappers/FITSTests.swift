import Deflate
import FITS
import Foundation
import Testing

@Suite("FITS wrapper over cfitsio")
struct FITSTests {
    @Test("a 5×3909 float32 image with typed keywords round-trips exactly")
    func imageRoundTrip() throws {
        let path = try makeTemporaryDirectory() + "/spectrum.fits"
        let width = 3909
        let pixels: [Float] = (0..<(5 * width)).map { index in
            let wave = Float(sin(Double(index) * 0.01) * 1000)
            return wave + Float(index % 7) / 3
        }
        let file = try FITSFile.create(path)
        try file.writeImage(width: width, height: 5, pixels: pixels)
        try file.write(keyword: "OBSID", .integer(701001))
        try file.write(keyword: "CLASS", .string("STAR"), comment: "spectral class")
        try file.write(keyword: "SUBCLASS", .string("O'Brien"))
        try file.write(keyword: "Z", .double(-0.00056505))
        try file.write(keyword: "VACUUM", .logical(true))
        try file.close()

        let reopened = try FITSFile.open(path)
        #expect(try reopened.imageShape() == [width, 5])
        #expect(try reopened.readPixels(count: 5 * width) == pixels)
        #expect(try reopened.readImageRow(2) == Array(pixels[(2 * width)..<(3 * width)]))
        let header = try reopened.header()
        #expect(header["OBSID"] == .integer(701001))
        #expect(header["CLASS"] == .string("STAR"))
        #expect(header["SUBCLASS"] == .string("O'Brien"))
        #expect(header["Z"]?.double == -0.00056505)
        #expect(header["VACUUM"] == .logical(true))
        #expect(header.cards.first { $0.name == "CLASS" }?.comment == "spectral class")
    }

    @Test("a file held in memory opens like one on disk, and outlives the bytes it was given")
    func memoryFile() throws {
        let path = try makeTemporaryDirectory() + "/memory.fits"
        let pixels: [Float] = (0..<300).map { Float($0) / 7 }
        let file = try FITSFile.create(path)
        try file.writeImage(width: 100, height: 3, pixels: pixels)
        try file.write(keyword: "OBSID", .integer(42))
        try file.close()
        var bytes: [UInt8]? = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let opened = try FITSFile.open(bytes: bytes!, name: "memory.fits")
        bytes = nil
        #expect(try opened.header()["OBSID"] == .integer(42))
        #expect(try opened.readImageRow(1) == Array(pixels[100..<200]))
        try opened.close()
        #expect(throws: FITSError.self) { try FITSFile.open(bytes: [UInt8](repeating: 0, count: 2880), name: "zeros.fits") }

        // Names are not cfitsio syntax: brackets in a directory, an uncompressed file called .gz.
        let odd = try makeTemporaryDirectory() + "/plan[2]"
        try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try Fixtures.lamostFiles()[0], toPath: odd + "/spec.fits.gz")
        #expect(try FITSFile.open(odd + "/spec.fits.gz").imageShape() == [3909, 5])
        try FileManager.default.copyItem(atPath: path, toPath: odd + "/plain.fits.gz")
        #expect(try FITSFile.open(odd + "/plain.fits.gz").header()["OBSID"] == .integer(42))
    }

    @Test("a one-row binary table of vector columns (the COADD layout) round-trips")
    func tableRoundTrip() throws {
        let path = try makeTemporaryDirectory() + "/coadd.fits"
        let flux: [Float] = (0..<100).map { Float($0) * 0.5 }
        let wavelength: [Float] = (0..<100).map { 3700 * pow(10, Float($0) * 1e-4) }
        let file = try FITSFile.create(path)
        try file.writeImage(width: 0, height: 0, pixels: [])
        try file.writeVectorTable(name: "COADD", columns: [("FLUX", flux), ("WAVELENGTH", wavelength)])
        try file.close()
        let reopened = try FITSFile.open(path)
        #expect(try reopened.hduCount() == 2)
        try reopened.moveTo(extension: "COADD")
        #expect(try reopened.tableRowCount() == 1)
        #expect(try reopened.readColumn("flux") == flux)
        #expect(try reopened.readColumn("WAVELENGTH") == wavelength)
        #expect(throws: FITSError.self) { try reopened.readColumn("NOPE") }
    }

    @Test("real LAMOST DR5 files read through gzip: 5 rows, header keywords, wavelength grid")
    func realSpectra() throws {
        let files = try Fixtures.lamostFiles()
        #expect(files.count == 20)
        for path in files {
            let file = try FITSFile.open(path)
            let shape = try file.imageShape()
            #expect(shape.count == 2 && shape[1] == 5, "\(path)")
            let header = try file.header()
            #expect(header["OBSID"]?.integer != nil)
            #expect(header.keywords.count > 100)
            let wavelength = try file.readImageRow(2)
            #expect(abs(Double(wavelength[0]) - 3699.99) < 0.01)
            #expect(wavelength.last! > 9000)
        }
    }

    @Test("a missing file and a truncated file are errors naming the file, with the library's reason")
    func badFiles() throws {
        let directory = try makeTemporaryDirectory()
        let missing = directory + "/absent.fits"
        let error = #expect(throws: FITSError.self) { try FITSFile.open(missing) }
        #expect(error?.description.contains("absent.fits") == true)

        let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.lamostFiles()[0]))
        let truncated = directory + "/truncated.fits.gz"
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: truncated))
        let truncatedError = #expect(throws: FITSError.self) {
            let file = try FITSFile.open(truncated)
            _ = try file.readPixels(count: 5 * 3909)
        }
        #expect(truncatedError?.path == truncated)
        #expect(truncatedError?.operation == "inflate" && truncatedError?.message.contains("truncated") == true, "\(String(describing: truncatedError))")

        // An uncompressed file cut short fails in cfitsio, with its status.
        let plain = directory + "/short.fits"
        try Data(repeating: 0x20, count: 100).write(to: URL(fileURLWithPath: plain))
        let plainError = #expect(throws: FITSError.self) { try FITSFile.open(plain) }
        #expect(plainError?.status != 0 && plainError?.path == plain)
    }

    @Test("a header declaring more data than the file holds is refused before anything is read past its end (found by fuzzing: BITPIX -32 changed to -64)")
    func dataBeyondTheFile() throws {
        let inflated = try Gzip.decompress(Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.lamostFiles()[0]))), name: "fixture")
        var header = String(decoding: inflated.prefix(2880), as: UTF8.self)
        let card = try #require(header.range(of: "BITPIX  =                  -32"))
        header.replaceSubrange(card, with: "BITPIX  =                  -64")
        let doubled = Array(header.utf8) + inflated.dropFirst(2880)
        let file = try FITSFile.open(bytes: doubled, name: "doubled.fits")
        // Its first rows lie within the file (as doubles, nonsense, but read from the file); its last does not.
        #expect(try file.readImageRow(0).count == 3909)
        let error = #expect(throws: FITSError.self) { _ = try file.readImageRow(4) }
        #expect(error?.path == "doubled.fits" && error?.message.contains("bytes of data from byte") == true, "\(String(describing: error))")
        // Axes whose product wraps around (2⁶² × 4 bytes) are refused, not trusted.
        var huge = String(decoding: inflated.prefix(2880), as: UTF8.self)
        let axis = try #require(huge.range(of: "NAXIS1  =                 3909"))
        huge.replaceSubrange(axis, with: "NAXIS1  =  4611686018427387904")
        let hugeError = #expect(throws: FITSError.self) {
            _ = try FITSFile.open(bytes: Array(huge.utf8) + inflated.dropFirst(2880), name: "huge.fits").readImageRow(1)
        }
        #expect(hugeError?.path == "huge.fits", "\(String(describing: hugeError))")
        // The same file as written reads; one cut inside its last record (zeros read for the rest) still gives its first row.
        let intact = try FITSFile.open(bytes: inflated, name: "intact.fits").readImageRow(0)
        #expect(intact.count == 3909)
        let dataEnd = 2880 * ((inflated.count - 1) / 2880)
        #expect(try FITSFile.open(bytes: Array(inflated.prefix(dataEnd + 10)), name: "cut.fits").readImageRow(0) == intact)
    }
}
