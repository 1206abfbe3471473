import ArgumentParser
import Contracts
import Foundation
import Learning

/// `trainer evaluate --train DIR… [--test DIR…] [--folds K --group-by plan]`: trains both spectra
/// models on directories of FITS files (symbolic links followed), reports them on their held-out
/// split, with `--test` on other directories (trained on simulated spectra, tested on real ones:
/// sim-to-real), and with `--folds` by cross-validation whose folds keep each plan whole, scored
/// per training directory.
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train the spectra models on FITS files and evaluate them, optionally on a second set.")

    @Option(help: "Directory of labelled FITS spectra to train on (repeat for several: real and simulated, say).") var train: [String]
    @Option(help: "Directory of FITS spectra to test on (repeatable; for example the real fixtures).") var test: [String] = []
    @Option(help: "Also cross-validate over the training directories with this many folds.") var folds: Int?
    @Option(name: .customLong("group-by"), help: "Cross-validation groups: plan (one PLANID never on both sides) or none.")
    var groupBy = "plan"
    @Option(help: "Trees in each forest.") var trees = 200
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Write the full JSON report here.") var report: String?

    struct Prediction: Codable {
        var obsid: Int
        var surveyClass: String
        var surveySubclass: String
        var predictedClass: String
        var classProbability: Double
        var predictedLetter: String?
        var letterProbability: Double?

        enum CodingKeys: String, CodingKey {
            case obsid, surveyClass = "survey_class", surveySubclass = "survey_subclass", predictedClass = "predicted_class",
                 classProbability = "class_probability", predictedLetter = "predicted_letter", letterProbability = "letter_probability"
        }
    }

    struct Report: Codable {
        var trainDirectories: [String]
        /// Examples per source directory and label, for each model kind.
        var sources: [String: [String: [String: Int]]]
        var models: [ModelEvaluation]
        var crossValidation: [CrossValidation.Result]
        var testDirectories: [String]
        var test: [String: ClassificationReport]
        var predictions: [Prediction]
        var rejected: [String]

        enum CodingKeys: String, CodingKey {
            case trainDirectories = "train_directories", sources, models, crossValidation = "cross_validation",
                 testDirectories = "test_directories", test, predictions, rejected
        }
    }

    func validate() throws {
        guard !train.isEmpty else { throw ValidationError("give at least one --train directory") }
        if let folds, folds < 2 { throw ValidationError("--folds must be 2 or more, not \(folds)") }
        guard ["plan", "none"].contains(groupBy) else { throw ValidationError("--group-by is plan or none, not \(groupBy)") }
    }

    func run() async throws {
        var examples: [LabelledSpectrum] = [], sourced: [CrossValidation.Example] = [], trainErrors: [String] = []
        var sources: [String: [String: [String: Int]]] = [:]
        for directory in train {
            // Named by its last component, or its whole path when two folders share one.
            let last = (directory as NSString).lastPathComponent
            let source = train.filter { ($0 as NSString).lastPathComponent == last }.count > 1 ? directory : last
            let (read, errors) = try await SpectrumFeatureFiles.load(try SpectrumFeatureFiles.paths(in: directory))
            print("read \(read.count) labelled spectra from \(directory)" + (errors.isEmpty ? "" : ", rejected \(errors.count)"))
            examples += read
            sourced += read.map { CrossValidation.Example(spectrum: $0, source: source) }
            trainErrors += errors
            for kind in ModelKind.spectra {
                let counts = Dictionary(read.compactMap { $0.label(for: kind) }.map { ($0, 1) }, uniquingKeysWith: +)
                sources[source, default: [:]][kind.rawValue] = counts
                print("  \(kind.rawValue) labels: " + counts.sorted { SpectraTrainer.classOrder($0.key, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
        var trainer = SpectraTrainer()
        trainer.forest.trees = trees
        trainer.forest.seed = seed
        var models: [ModelKind: SpectraTrainer.Result] = [:]
        // A kind the training data cannot teach (real stars only: no galaxies for CLASS) is
        // skipped, saying why, and the other is still evaluated.
        var trainable: [ModelKind] = []
        for kind in ModelKind.spectra {
            do {
                let result = try trainer.train(kind, on: examples)
                models[kind] = result
                trainable.append(kind)
                print(result.evaluation.summary)
            } catch let failure as SpectraTrainer.Failure {
                print("skipped: \(failure)")
            }
        }
        var output = Report(
            trainDirectories: train, sources: sources, models: ModelKind.spectra.compactMap { models[$0]?.evaluation }, crossValidation: [],
            testDirectories: test, test: [:], predictions: [], rejected: trainErrors)
        if let folds {
            let validation = CrossValidation(trainer: trainer, folds: folds, groupBy: groupBy)
            for kind in trainable {
                do {
                    let result = try validation.run(kind, on: sourced)
                    output.crossValidation.append(result)
                    print("\n" + result.summary + String(format: "\n  (%.1f s)", result.seconds))
                } catch let failure as SpectraTrainer.Failure {
                    // A fold whose training part lacks a second class, say: the others are still reported.
                    print("\ncross-validation of \(kind.rawValue) skipped: a fold cannot be trained (\(failure))")
                }
            }
        }
        if !test.isEmpty, models[.spectraClass] == nil || models[.spectraMK] == nil {
            print("\nnot testing on \(test.joined(separator: ", ")): both the CLASS and the MK model are needed, and " +
                  ModelKind.spectra.filter { models[$0] == nil }.map(\.rawValue).joined(separator: ", ") + " could not be trained (above)")
        }
        if !test.isEmpty, let classModel = models[.spectraClass]?.model, let letterModel = models[.spectraMK]?.model {
            var tests: [LabelledSpectrum] = []
            for directory in test {
                let (read, testErrors) = try await SpectrumFeatureFiles.load(try SpectrumFeatureFiles.paths(in: directory))
                tests += read
                output.rejected += testErrors
            }
            print("\ntesting on \(tests.count) spectra from \(test.joined(separator: ", "))")
            for example in tests {
                let names = example.features.names, values = example.features.values
                let classP = classModel.probabilities(names: names, values: values)
                let classIndex = ClassificationReport.argmax(classP)
                var prediction = Prediction(
                    obsid: example.obsid, surveyClass: example.objectClass, surveySubclass: example.subclass,
                    predictedClass: classModel.classes[classIndex], classProbability: classP[classIndex])
                if example.objectClass == "STAR" || prediction.predictedClass == "STAR" {
                    let letterP = letterModel.probabilities(names: names, values: values)
                    let letterIndex = ClassificationReport.argmax(letterP)
                    prediction.predictedLetter = letterModel.classes[letterIndex]
                    prediction.letterProbability = letterP[letterIndex]
                }
                output.predictions.append(prediction)
                print(String(format: "  %10d  %-7@ %-6@ → %-7@ %.2f", example.obsid, example.objectClass as NSString, example.subclass as NSString,
                             prediction.predictedClass as NSString, prediction.classProbability)
                      + (prediction.predictedLetter.map { String(format: "  MK %@ %.2f", $0 as NSString, prediction.letterProbability ?? 0) } ?? ""))
            }
            for (kind, model) in [(ModelKind.spectraClass, classModel), (.spectraMK, letterModel)] {
                let scored = tests.compactMap { example in example.label(for: kind).flatMap { label in model.classes.firstIndex(of: label).map { (example, $0) } } }
                guard !scored.isEmpty else { continue }
                let report = ClassificationReport(
                    labels: model.classes, truth: scored.map(\.1),
                    probabilities: scored.map { model.probabilities(names: $0.0.features.names, values: $0.0.features.values) })
                output.test[kind.rawValue] = report
                print(String(format: "\n%@ on the test set (%d labelled): accuracy %.3f  balanced %.3f  macro-F1 %.3f  ECE %.3f",
                             kind.rawValue as NSString, report.samples, report.accuracy, report.balancedAccuracy, report.macroF1, report.expectedCalibrationError))
                print(report.confusionTable)
            }
        }
        if let path = report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(output).write(to: URL(fileURLWithPath: path))
            print("\nreport: \(path)")
        }
    }
}
