import Contracts
import Foundation
import Learning
import Spectra
import Testing
@testable import trainer

@Suite("Spectra trainer: what it learns from, what it leaves out, and that it repeats itself")
struct SpectraTrainerTests {
    /// Vectors whose `ew_a` separates the classes, with labels like the survey's.
    static func examples(_ classes: [(objectClass: String, subclass: String, count: Int, ew: Double)]) -> [LabelledSpectrum] {
        var generator = SeededGenerator(seed: 9)
        var obsid = 0
        return classes.flatMap { spec in
            (0..<spec.count).map { _ in
                obsid += 1
                let features = FeatureVector(
                    version: "lines-v1", names: ["ew_a", "noise", "missing"],
                    values: [spec.ew + Double.random(in: -0.5...0.5, using: &generator), Double.random(in: 0...1, using: &generator), nil])
                return LabelledSpectrum(obsid: obsid, objectClass: spec.objectClass, subclass: spec.subclass, features: features)
            }
        }
    }

    var trainer: SpectraTrainer {
        var trainer = SpectraTrainer()
        trainer.forest.trees = 30
        trainer.boosting.rounds = 30
        trainer.typeIndex.rounds = 40
        return trainer
    }

    @Test("a forest and boosted trees are fitted on the same split, both recorded; the better held-out macro-F1 is kept, the first listed on a tie")
    func algorithmChoice() throws {
        let examples = Self.examples([("STAR", "A2", 40, 10), ("STAR", "G2", 40, 20), ("STAR", "M3", 40, 30)])
        let result = try trainer.train(.spectraMK, on: examples)
        let candidates = try #require(result.evaluation.candidates)
        #expect(candidates.map(\.algorithm) == [.gradientBoosting, .randomForest])
        let best = candidates.map(\.macroF1).max()!
        let kept = try #require(candidates.first { $0.macroF1 == best })
        #expect(result.model.algorithm == kept.algorithm)
        #expect(result.evaluation.algorithm == kept.algorithm)
        #expect(result.evaluation.validation.macroF1 == best)
        #expect(result.evaluation.summary.contains("kept \(kept.algorithm.rawValue) by held-out macro-F1; tried: gradient-boosting accuracy"))

        var boostedOnly = trainer
        boostedOnly.algorithms = [.gradientBoosting]
        let boosted = try boostedOnly.train(.spectraMK, on: examples)
        #expect(boosted.model.boosted != nil && boosted.model.forest == nil)
        #expect(boosted.evaluation.boosting == boostedOnly.boosting)
    }

    @Test("an MK model learns the type index from SUBCLASS (A2 = 22, G2 = 42, M3 = 63) and reports its held-out error in subtypes; CLASS models do not")
    func typeIndex() throws {
        let examples = Self.examples([("STAR", "A2", 40, 10), ("STAR", "G2", 40, 20), ("STAR", "M3", 40, 30), ("GALAXY", "Non", 20, 0)])
        let mk = try trainer.train(.spectraMK, on: examples)
        let evaluation = try #require(mk.evaluation.typeIndex)
        #expect(evaluation.count == mk.validation.count)
        #expect(evaluation.meanAbsoluteError < 2, "\(evaluation.summary)")
        #expect(Set(evaluation.perLetter.keys) == ["A", "G", "M"])
        #expect(mk.evaluation.summary.contains("subtype (type index, A0 = 20 … M9 = 69): MAE"))
        let star = mk.model.align(names: examples[0].features.names, values: examples[0].features.values)
        let predicted = try #require(mk.model.predictedTypeIndex(star))
        #expect(SpectralType.name(index: predicted).hasPrefix("A"), "an A2 star's type: \(predicted)")
        #expect(try trainer.train(.spectraClass, on: examples).model.typeIndex == nil)
        #expect(SpectralType.name(index: 53.4) == "K3" && SpectralType.name(index: -3) == "O0" && SpectralType.name(index: 80) == "M9")
    }

    @Test("CLASS: Unknown spectra teach nothing, a class rarer than the minimum is listed and left out, the rest is learnt")
    func classModel() throws {
        let examples = Self.examples([
            ("STAR", "G2", 60, 5), ("GALAXY", "Non", 30, 10), ("QSO", "Non", 3, 15), ("Unknown", "Non", 7, 20),
        ])
        let result = try trainer.train(.spectraClass, on: examples)
        #expect(result.model.classes == ["GALAXY", "STAR"])
        #expect(result.evaluation.excludedClasses == ["QSO": 3])
        #expect(result.evaluation.unlabelled == 7)
        #expect(result.train.count + result.validation.count == 90)
        #expect(Set(result.train).isDisjoint(with: result.validation))
        #expect(result.evaluation.validation.accuracy == 1)
        #expect(result.evaluation.permutationImportances.first?.feature == "ew_a")
    }

    @Test("the console summary names the features whose shuffling cost accuracy, or says none did and shows the forest's own ranking")
    func summaryImportances() throws {
        let examples = Self.examples([("STAR", "G2", 60, 5), ("GALAXY", "Non", 30, 10)])
        var evaluation = try trainer.train(.spectraClass, on: examples).evaluation
        let measured = try #require(evaluation.summary.split(separator: "\n").first { $0.contains("top features") })
        #expect(measured.hasPrefix("  top features (permutation): ew_a "), "\(measured)")
        #expect(!measured.contains("noise"), "shuffling noise costs nothing, so it is not listed: \(measured)")

        evaluation.permutationImportances = evaluation.permutationImportances.map { var unmeasured = $0; unmeasured.importance = 0; return unmeasured }
        let unmeasured = try #require(evaluation.summary.split(separator: "\n").first { $0.contains("top features") })
        #expect(unmeasured.hasPrefix("  top features (impurity; on \(evaluation.validationCount) held-out spectra no single shuffled feature"))
        #expect(unmeasured.contains("ew_a"), "\(unmeasured)")
    }

    @Test("MK letter: stars only, by the first letter of SUBCLASS, classes in temperature order")
    func letterModel() throws {
        let examples = Self.examples([
            ("STAR", "M0", 20, 30), ("STAR", "A1IV", 20, 10), ("STAR", "G7", 20, 20), ("GALAXY", "Non", 20, 0),
        ])
        let result = try trainer.train(.spectraMK, on: examples)
        #expect(result.model.classes == ["A", "G", "M"])
        #expect(result.evaluation.unlabelled == 20)
    }

    @Test("the same examples and seed give the same artifact, byte for byte")
    func deterministic() throws {
        let examples = Self.examples([("STAR", "G2", 40, 5), ("GALAXY", "Non", 40, 8)])
        let a = try trainer.train(.spectraClass, on: examples).model
        let b = try trainer.train(.spectraClass, on: examples).model
        #expect(a == b)
        #expect(try TrainerStore.encodeArtifact(a) == TrainerStore.encodeArtifact(b))
    }

    @Test("refuses clearly: one class only, or vectors of two feature versions")
    func refusals() throws {
        #expect(throws: SpectraTrainer.Failure.self) { try trainer.train(.spectraClass, on: Self.examples([("STAR", "G2", 40, 5)])) }
        var mixed = Self.examples([("STAR", "G2", 40, 5), ("GALAXY", "Non", 40, 8)])
        mixed[0].features.version = "lines-v0"
        #expect(throws: SpectraTrainer.Failure.self) { try trainer.train(.spectraClass, on: mixed) }
    }

    @Test("the report says how many examples of each label came from which source (real releases, the simulator)")
    func examplesPerSource() throws {
        var examples = Self.examples([("STAR", "A1", 40, 5), ("STAR", "G2", 40, 10), ("STAR", "M1", 20, 20)])
        for index in examples.indices { examples[index].source = index % 2 == 0 ? "LAMOST DR10" : "starstream-sim" }
        let result = try trainer.train(.spectraMK, on: examples)
        #expect(result.evaluation.sourceClassCounts == [
            "LAMOST DR10": ["A": 20, "G": 20, "M": 10], "starstream-sim": ["A": 20, "G": 20, "M": 10],
        ])
        #expect(result.evaluation.summary.contains("examples per source: LAMOST DR10 (A 20, G 20, M 10); starstream-sim (A 20, G 20, M 10)"))
    }
}
