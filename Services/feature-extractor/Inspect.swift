import ArgumentParser
import Contracts
import Foundation
import Spectra

/// `feature-extractor inspect FILE...`: per file, the preprocessed summary and the named feature
/// vector as one JSON line, through the same code as the cataloger, preprocessor and this service
/// (the preprocessed arrays pass through the `spectra.preprocessed` message's float32 encoding).
struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the preprocessed summary and features of FITS spectra as JSON lines.")

    @Argument(help: "LAMOST spectrum files (.fits or .fits.gz).") var files: [String]

    struct Report: Encodable {
        var file: String
        var obsid: Int
        var objectClass: String
        var subclass: String
        var goodFraction: Double
        var medianSNR: Double
        var features: [String: Double?]
        var featureVersion: String

        enum CodingKeys: String, CodingKey {
            case file, obsid, subclass, features
            case objectClass = "class", goodFraction = "good_fraction", medianSNR = "median_snr", featureVersion = "feature_version"
        }
    }

    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let preprocessor = Preprocessor()
        let extractor = FeatureExtractor()
        var failures = 0
        for path in files {
            do {
                let file = try SpectrumFile.read(path)
                let entry = try CatalogEntry(file)
                // Through the preprocessor's message, as the service receives it (arrays as float32).
                let message = SpectrumPreprocessed(entry: entry, sha256: "", spectrum: try preprocessor.process(file))
                let vector = message.features(extractor)
                let report = Report(
                    file: entry.file, obsid: entry.obsid, objectClass: entry.objectClass, subclass: entry.subclass,
                    goodFraction: message.goodFraction, medianSNR: message.medianSNR,
                    features: Dictionary(uniqueKeysWithValues: zip(vector.names, vector.values)), featureVersion: vector.version)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("feature-extractor: \(error)\n".utf8))
            }
        }
        if failures > 0 {
            FileHandle.standardError.write(Data("feature-extractor: \(failures) of \(files.count) files rejected\n".utf8))
            throw ExitCode(1)
        }
    }
}
