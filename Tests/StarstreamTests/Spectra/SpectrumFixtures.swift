import Contracts
import FITS
import Foundation
import HTTPClient

/// The real fixtures' `catalog.csv`, and broken files made from them.
enum SpectrumFixtures {
    struct Row {
        var file: String
        var obsid: Int
        var plan: String
        var objectClass: String
        var subclass: String
        var redshift: Double
        var snrG: Double
        var firstWavelength: Double
        var lastWavelength: Double
    }

    static func catalog() throws -> [Row] {
        let text = try String(contentsOf: Fixtures.lamost.appendingPathComponent("catalog.csv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let cells = line.split(separator: ",").map(String.init)
            return Row(
                file: cells[0], obsid: Int(cells[1])!, plan: cells[2], objectClass: cells[3], subclass: cells[4],
                redshift: Double(cells[5])!, snrG: Double(cells[6])!, firstWavelength: Double(cells[7])!, lastWavelength: Double(cells[8])!)
        }
    }

    /// The first half of a real file: gzip and FITS both cut short.
    static func truncated(in directory: String) throws -> String {
        let original = try Data(contentsOf: URL(fileURLWithPath: Fixtures.lamostFiles()[0]))
        let path = directory + "/spec-truncated.fits.gz"
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A well-formed DR5-layout file whose header lacks CLASS.
    static func missingClass(in directory: String) throws -> String {
        let path = directory + "/spec-no-class.fits"
        let width = 3909
        var pixels = [Float](repeating: 1, count: 5 * width)
        for index in 0..<width { pixels[2 * width + index] = Float(3700 * pow(10, 1e-4 * Double(index))) }
        let file = try FITSFile.create(path)
        try file.writeImage(width: width, height: 5, pixels: pixels)
        try file.write(keyword: "OBSID", .integer(999_001))
        try file.write(keyword: "PLANID", .string("TEST01"))
        try file.close()
        return path
    }
}

extension SpectrumDownloaded {
    /// A file on this host announced as a fetcher would, by a `file://` URL and its real digest.
    static func local(_ path: String, plan: String = "B6202") throws -> SpectrumDownloaded {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return SpectrumDownloaded(
            file: (path as NSString).lastPathComponent, url: "file://" + path, plan: plan, sha256: SHA256.hash(bytes),
            bytes: bytes.count, sourceURL: "file://" + path)
    }
}
