import ArgumentParser
import Contracts
import Foundation
import Learning
import Spectra

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
    @Option(help: "Boosting rounds (trees per class).") var rounds = GradientBoostedTrees.Parameters().rounds
    @Option(help: "Algorithms to fit, comma-separated: random-forest, gradient-boosting (the better by held-out macro-F1 is kept).")
    var algorithms = TabularClassifier.Algorithm.allCases.map(\.rawValue).joined(separator: ",")
    @Option(name: .customLong("export-features"), help: "Write the training spectra's feature matrix, labels and cross-validation folds as CSV here (for Tools/boosting-baseline).")
    var exportFeatures: String?
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
        /// The regressed type (`K3`) and its index.
        var predictedSubtype: String?
        var typeIndex: Double?

        enum CodingKeys: String, CodingKey {
            case obsid, surveyClass = "survey_class", surveySubclass = "survey_subclass", predictedClass = "predicted_class",
                 classProbability = "class_probability", predictedLetter = "predicted_letter", letterProbability = "letter_probability",
                 predictedSubtype = "predicted_subtype", typeIndex = "type_index"
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
        /// The MK model's type index on the test set.
        var testTypeIndex: TypeIndexEvaluation?
        var predictions: [Prediction]
        var rejected: [String]

        enum CodingKeys: String, CodingKey {
            case trainDirectories = "train_directories", sources, models, crossValidation = "cross_validation",
                 testDirectories = "test_directories", test, testTypeIndex = "test_type_index", predictions, rejected
        }
    }

    func validate() throws {
        guard !train.isEmpty else { throw ValidationError("give at least one --train directory") }
        if let folds, folds < 2 { throw ValidationError("--folds must be 2 or more, not \(folds)") }
        guard ["plan", "none"].contains(groupBy) else { throw ValidationError("--group-by is plan or none, not \(groupBy)") }
        _ = try chosenAlgorithms()
        if exportFeatures != nil, folds == nil { throw ValidationError("--export-features writes the cross-validation folds too: give --folds") }
    }

    func chosenAlgorithms() throws -> [TabularClassifier.Algorithm] {
        let names = algorithms.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let chosen = try names.map { name in
            guard let algorithm = TabularClassifier.Algorithm(rawValue: name) else {
                throw ValidationError("--algorithms: unknown \(name); known: " + TabularClassifier.Algorithm.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return algorithm
        }
        guard !chosen.isEmpty else { throw ValidationError("--algorithms names none") }
        return chosen
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
        trainer.boosting.rounds = rounds
        trainer.boosting.seed = seed
        trainer.algorithms = try chosenAlgorithms()
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
            // Every algorithm on the same folds: the side-by-side comparison.
            for kind in trainable {
                for algorithm in trainer.algorithms {
                    do {
                        let result = try validation.run(kind, on: sourced, algorithm: algorithm)
                        output.crossValidation.append(result)
                        print("\n" + result.summary + String(format: "\n  (%.1f s)", result.seconds))
                    } catch let failure as SpectraTrainer.Failure {
                        // A fold whose training part lacks a second class, say: the others are still reported.
                        print("\ncross-validation of \(kind.rawValue) by \(algorithm.rawValue) skipped: a fold cannot be trained (\(failure))")
                    }
                }
            }
            if let path = exportFeatures {
                try FeatureExport(examples: sourced, folds: validation.assignment(sourced)).write(to: path)
                print("\nfeatures, labels and folds: \(path) (compare with Tools/boosting-baseline/compare.py \(path))")
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
            // What the classifier adds per spectrum for its explanations (TreeSHAP of the chosen
            // class, both models), measured here on the same spectra beside the predictions.
            let timed = ContinuousClock.now
            for example in tests {
                for model in [classModel, letterModel] {
                    let row = model.align(names: example.features.names, values: example.features.values)
                    _ = model.explanation(row, class: ClassificationReport.argmax(model.probabilities(row)), top: 8)
                }
            }
            let explaining = (ContinuousClock.now - timed).inSeconds
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
                    prediction.typeIndex = letterModel.predictedTypeIndex(letterModel.align(names: names, values: values))
                    prediction.predictedSubtype = prediction.typeIndex.map(SpectralType.name(index:))
                }
                output.predictions.append(prediction)
                print(String(format: "  %10d  %-7@ %-6@ → %-7@ %.2f", example.obsid, example.objectClass as NSString, example.subclass as NSString,
                             prediction.predictedClass as NSString, prediction.classProbability)
                      + (prediction.predictedLetter.map { String(format: "  MK %@ %.2f", $0 as NSString, prediction.letterProbability ?? 0) } ?? ""))
            }
            print(String(format: "\nprediction and explanation of both models: %.2f ms per spectrum on one thread (CLASS %@, MK %@)",
                         explaining * 1000 / Double(max(tests.count, 1)), classModel.algorithm.rawValue as NSString, letterModel.algorithm.rawValue as NSString))
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
            let stars = tests.indices.filter { tests[$0].objectClass == "STAR" }
            output.testTypeIndex = TypeIndexEvaluation(
                predicted: stars.map { output.predictions[$0].typeIndex }, truth: stars.map { tests[$0].typeIndex },
                letters: stars.map { tests[$0].label(for: .spectraMK) ?? "?" })
            if let typeIndex = output.testTypeIndex { print("\n" + typeIndex.summary) }
        }
        if let path = report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            try encoder.encode(output).write(to: URL(fileURLWithPath: path))
            print("\nreport: \(path)")
        }
    }
}
