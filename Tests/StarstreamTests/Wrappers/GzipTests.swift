import Deflate
import Foundation
import Testing

@Suite("Gzip wrapper over libdeflate")
struct GzipTests {
    /// What `gzip -dc` makes of a file: the reference the wrapper must match byte for byte.
    static func gunzip(_ path: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }

    @Test("the real LAMOST files inflate to exactly what gzip -dc gives")
    func realFiles() throws {
        for path in try Fixtures.lamostFiles().prefix(5) {
            let compressed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(Gzip.isCompressed(compressed))
            #expect(try Gzip.decompress(compressed, name: path) == Self.gunzip(path))
        }
    }

    @Test("concatenated members are one stream, as gunzip reads them")
    func members() throws {
        let files = try Fixtures.lamostFiles()
        let (first, second) = try ([UInt8](Data(contentsOf: URL(fileURLWithPath: files[0]))), [UInt8](Data(contentsOf: URL(fileURLWithPath: files[1]))))
        let both = try Gzip.decompress(first + second, name: "two")
        #expect(both == (try Self.gunzip(files[0])) + (try Self.gunzip(files[1])))
        // Zero padding or garbage after the last member is ignored, as gunzip and cfitsio do.
        #expect(try Gzip.decompress(first + [UInt8](repeating: 0, count: 512), name: "padded") == Self.gunzip(files[0]))
        #expect(try Gzip.decompress(first + Array("trailing text".utf8), name: "garbage") == Self.gunzip(files[0]))
    }

    @Test("truncated, corrupt, non-gzip and oversized inputs are errors naming the input")
    func badInput() throws {
        let compressed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Fixtures.lamostFiles()[0])))
        let truncated = #expect(throws: GzipError.self) { try Gzip.decompress(Array(compressed.prefix(compressed.count / 2)), name: "half.gz") }
        #expect(truncated?.description.hasPrefix("half.gz: corrupt or truncated") == true, "\(String(describing: truncated))")

        var corrupt = compressed
        for index in 200..<260 { corrupt[index] ^= 0x5a }
        #expect(throws: GzipError.self) { try Gzip.decompress(corrupt, name: "corrupt.gz") }

        // A trailer claiming 4 GiB: no 4 GiB buffer, just an error.
        var claimsHuge = compressed
        for index in (compressed.count - 4)..<compressed.count { claimsHuge[index] = 0xff }
        let huge = #expect(throws: GzipError.self) { try Gzip.decompress(claimsHuge, name: "huge.gz") }
        #expect(huge?.description.hasPrefix("huge.gz: corrupt or truncated") == true, "\(String(describing: huge))")

        let plain = #expect(throws: GzipError.self) { try Gzip.decompress(Array("SIMPLE  =                    T".utf8), name: "plain.fits") }
        #expect(plain?.description == "plain.fits: not gzip data (no 1f 8b header)")

        let bomb = #expect(throws: GzipError.self) { try Gzip.decompress(compressed, name: "big.gz", limit: 10_000) }
        #expect(bomb?.description == "big.gz: inflates to more than 10000 bytes")
    }
}
