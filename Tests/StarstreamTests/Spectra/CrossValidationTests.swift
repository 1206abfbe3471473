import Foundation
import Learning
import Spectra
import Testing
@testable import trainer

@Suite("trainer evaluate: several training folders, symbolic links, cross-validation grouped by plan")
struct CrossValidationTests {
    @Test("every labelled spectrum is predicted once, out of fold (folds grouped by plan), and scored with its own source")
    func outOfFold() throws {
        // Two sources; within each, plans whose spectra share a letter-dependent feature.
        var examples: [CrossValidation.Example] = []
        var generator = SeededGenerator(seed: 4)
        for (source, plans) in [("real", 12), ("simulated", 6)] {
            for plan in 0..<plans {
                for (offset, letter) in ["A", "F", "G"].enumerated() {
                    for _ in 0..<4 {
                        let features = FeatureVector(
                            version: "lines-v2", names: ["ew"], values: [Double(offset) * 10 + Double.random(in: -1...1, using: &generator)])
                        examples.append(.init(
                            spectrum: LabelledSpectrum(
                                obsid: examples.count + 1, objectClass: "STAR", subclass: letter + "5", features: features, plan: "\(source)-\(plan)"),
                            source: source))
                    }
                }
            }
        }
        var trainer = SpectraTrainer()
        trainer.forest.trees = 15
        trainer.boosting.rounds = 20
        trainer.typeIndex.rounds = 20
        for algorithm in TabularClassifier.Algorithm.allCases {
            let result = try CrossValidation(trainer: trainer, folds: 4, groupBy: "plan").run(.spectraMK, on: examples, algorithm: algorithm)
            let sources: [String] = result.perSource.map(\.source), samples: [Int] = result.perSource.map(\.report.samples)
            #expect(sources == ["real", "simulated"])
            #expect(samples == [12 * 12, 6 * 12], "each spectrum scored once, with its source")
            #expect(result.perSource.allSatisfy { $0.report.accuracy > 0.95 }, "a separable feature is learnt across plans by \(algorithm)")
            #expect(result.summary.contains("spectra-mk by \(algorithm.rawValue), 4-fold cross-validation grouped by plan, on real (144 labelled, out of fold)"))
            // Every star is a 5 (A5 = 25, F5 = 35, G5 = 45): the type index follows the letter's feature.
            let typeIndex = try #require(result.perSource.first?.typeIndex)
            #expect(typeIndex.count == 144)
            #expect(typeIndex.meanAbsoluteError < 1.5, "\(typeIndex.summary)")
            #expect(result.summary.contains("subtype (type index"))
        }
    }

    @Test("dwarf and giant M types (dM1, gM0) are M stars for the MK model")
    func mDwarfLabels() {
        let vector = FeatureVector(version: "lines-v2", names: [], values: [])
        #expect(LabelledSpectrum(obsid: 1, objectClass: "STAR", subclass: "dM1", features: vector).label(for: .spectraMK) == "M")
        #expect(LabelledSpectrum(obsid: 2, objectClass: "STAR", subclass: "gM0", features: vector).label(for: .spectraMK) == "M")
        #expect(LabelledSpectrum(obsid: 3, objectClass: "GALAXY", subclass: "Non", features: vector).label(for: .spectraMK) == nil)
    }

    @Test("training folders are walked through symbolic links, to files and to folders, each real folder once")
    func symbolicLinks() throws {
        let data = try makeTemporaryDirectory("data"), links = try makeTemporaryDirectory("links")
        try FileManager.default.createDirectory(atPath: data + "/B6202", withIntermediateDirectories: true)
        for name in ["spec-1.fits.gz", "spec-2.fits"] { FileManager.default.createFile(atPath: data + "/B6202/" + name, contents: Data()) }
        FileManager.default.createFile(atPath: data + "/notes.txt", contents: Data())
        try FileManager.default.createSymbolicLink(atPath: links + "/plan", withDestinationPath: data + "/B6202")
        try FileManager.default.createSymbolicLink(atPath: links + "/spec-3.fits.gz", withDestinationPath: data + "/B6202/spec-1.fits.gz")
        try FileManager.default.createSymbolicLink(atPath: links + "/loop", withDestinationPath: links)
        try FileManager.default.createSymbolicLink(atPath: links + "/dangling.fits", withDestinationPath: data + "/gone.fits")
        #expect(try SpectrumFeatureFiles.paths(in: links) == [links + "/plan/spec-1.fits.gz", links + "/plan/spec-2.fits", links + "/spec-3.fits.gz"])
    }
}
