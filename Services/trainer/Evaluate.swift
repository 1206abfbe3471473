import ArgumentParser
import Contracts
import Foundation
import Learning

/// `trainer evaluate --train DIR [--test DIR]`: trains both spectra models on one directory of
/// FITS files, reports them on their held-out split and, with `--test`, on another directory
/// (a model trained on simulated spectra, tested on real ones: sim-to-real).
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Train the spectra models on FITS files and evaluate them, optionally on a second set.")

    @Option(help: "Directory of labelled FITS spectra to train on.") var train: String
    @Option(help: "Directory of FITS spectra to test on (for example the real fixtures).") var test: String?
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
        var trainDirectory: String
        var models: [ModelEvaluation]
        var testDirectory: String?
        var test: [String: ClassificationReport]
        var predictions: [Prediction]
        var rejected: [String]

        enum CodingKeys: String, CodingKey {
            case trainDirectory = "train_directory", models, testDirectory = "test_directory", test, predictions, rejected
        }
    }

    func run() async throws {
        let (examples, trainErrors) = try await SpectrumFeatureFiles.load(try SpectrumFeatureFiles.paths(in: train))
        print("read \(examples.count) labelled spectra from \(train)" + (trainErrors.isEmpty ? "" : ", rejected \(trainErrors.count)"))
        var trainer = SpectraTrainer()
        trainer.forest.trees = trees
        trainer.forest.seed = seed
        var models: [ModelKind: SpectraTrainer.Result] = [:]
        for kind in ModelKind.spectra {
            let result = try trainer.train(kind, on: examples)
            models[kind] = result
            print(result.evaluation.summary)
        }
        var output = Report(
            trainDirectory: train, models: ModelKind.spectra.compactMap { models[$0]?.evaluation }, testDirectory: test, test: [:],
            predictions: [], rejected: trainErrors)
        if let test, let classModel = models[.spectraClass]?.model, let letterModel = models[.spectraMK]?.model {
            let (tests, testErrors) = try await SpectrumFeatureFiles.load(try SpectrumFeatureFiles.paths(in: test))
            output.rejected += testErrors
            print("\ntesting on \(tests.count) spectra from \(test)")
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
