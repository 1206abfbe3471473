import ArgumentParser
import Foundation
import Spectra

/// `cataloger inspect FILE...`: the catalog row of each file as one JSON object per line,
/// through exactly the code the service runs. Bad files are named on stderr; exit 1 if any.
struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the catalog fields of FITS spectra as JSON lines.")

    @Argument(help: "LAMOST spectrum files (.fits or .fits.gz).") var files: [String]

    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failures = 0
        for path in files {
            do {
                let entry = try CatalogEntry(SpectrumFile.read(path))
                print(String(decoding: try encoder.encode(entry), as: UTF8.self))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("cataloger: \(error)\n".utf8))
            }
        }
        if failures > 0 {
            FileHandle.standardError.write(Data("cataloger: \(failures) of \(files.count) files rejected\n".utf8))
            throw ExitCode(1)
        }
    }
}
