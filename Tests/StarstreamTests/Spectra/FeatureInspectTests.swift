import Contracts
import Foundation
import Spectra
import Testing

@Suite("`feature-extractor inspect`: the service's features, for files on disk")
struct FeatureInspectTests {
    struct Report: Decodable {
        var file: String
        var obsid: Int
        var features: [String: Double?]
        var feature_version: String
    }

    @Test("prints each good file's vector exactly as the service computes it, names a bad file, and exits 1")
    func inspect() async throws {
        let good = Array(try Fixtures.lamostFiles().prefix(3))
        let bad = try SpectrumFixtures.truncated(in: try makeTemporaryDirectory("inspect"))
        let process = try ServiceProcess("feature-extractor", arguments: ["inspect", good[0], bad, good[1], good[2]])
        #expect(await process.waitForExit() == 1)
        #expect(process.errorText.contains("spec-truncated.fits.gz"), "\(process.errorText)")
        #expect(process.errorText.contains("1 of 4 files rejected"))

        let reports = try process.lines.map { try JSONDecoder().decode(Report.self, from: Data($0.utf8)) }
        #expect(reports.count == 3)
        for (path, report) in zip(good, reports) {
            // What the feature extractor does with the preprocessor's message for this file.
            let file = try SpectrumFile.read(path)
            let message = SpectrumPreprocessed(entry: try CatalogEntry(file), sha256: "", spectrum: try Preprocessor().process(file))
            let service = message.features()
            #expect(report.obsid == message.entry.obsid && report.feature_version == service.version)
            #expect(Set(report.features.keys) == Set(service.names))
            for (name, value) in zip(service.names, service.values) {
                #expect(report.features[name] == value, "\(report.file) \(name)")
            }
        }
    }
}
