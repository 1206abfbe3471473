import ArgumentParser
import BlockingIO
import Contracts
import Foundation
import Hummingbird
import Learning
import ServiceKit
import Streams

extension Serve {
    /// The trainer put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "trainer", environment: environment)
        let environment = runtime.configuration.environment
        let store = TrainerStore(pool: runtime.usePostgres(TrainerStore.migrator))
        var trainer = SpectraTrainer()
        trainer.forest.trees = try environment.int("FOREST_TREES", default: 200, range: 1...5000)
        trainer.forest.maxDepth = try environment.int("FOREST_MAX_DEPTH", default: 20, range: 1...100)
        trainer.forest.seed = UInt64(try environment.int("TRAIN_SEED", default: 1, range: 0...Int.max))
        trainer.boosting.rounds = try environment.int("BOOSTING_ROUNDS", default: trainer.boosting.rounds, range: 1...5000)
        trainer.boosting.maxDepth = try environment.int("BOOSTING_MAX_DEPTH", default: trainer.boosting.maxDepth, range: 1...16)
        trainer.boosting.seed = trainer.forest.seed
        let algorithms = environment.list("SPECTRA_ALGORITHMS", default: TabularClassifier.Algorithm.allCases.map(\.rawValue))
        trainer.algorithms = try algorithms.map { name throws(ConfigurationError) in
            guard let algorithm = TabularClassifier.Algorithm(rawValue: name) else {
                throw ConfigurationError(
                    variable: "SPECTRA_ALGORITHMS", value: algorithms.joined(separator: ","),
                    expected: "a comma-separated list of " + TabularClassifier.Algorithm.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return algorithm
        }
        guard !trainer.algorithms.isEmpty else {
            throw ConfigurationError(variable: "SPECTRA_ALGORITHMS", value: "", expected: "at least one of gradient-boosting, random-forest")
        }
        trainer.validationFraction = try environment.double("VALIDATION_FRACTION", default: 0.2, range: 0.05...0.5)
        trainer.minClassSupport = try environment.int("MIN_CLASS_SUPPORT", default: 5, range: 2...100_000)
        let trainAfter = try environment.int("TRAIN_AFTER_NEW", default: 500, range: 0...10_000_000)
        let producer = runtime.producer
        let logger = runtime.logger
        if trainAfter == 0 { logger.info("automatic training is off (TRAIN_AFTER_NEW=0)") }

        runtime.consume(StreamName.spectraFeatures) { delivery in
            let message = try delivery.decode(SpectrumFeatures.self)
            guard try await store.save(message), trainAfter > 0, LabelledSpectrum(message).label(for: .spectraClass) != nil else { return }
            if let count = try await store.claimAutomaticTraining("spectra", every: trainAfter) {
                let request = TrainRequest(requestId: "auto-spectra-\(count)", kinds: ModelKind.spectra, reason: "auto")
                try await producer.publish(request, trace: delivery.envelope.trace)
                delivery.logger.info("automatic training requested", metadata: ["labelled": "\(count)", "request": "\(request.requestId)"])
            }
        }
        let textTrainAfter = try environment.int("TEXT_TRAIN_AFTER_NEW", default: 1000, range: 0...10_000_000)
        runtime.consume(StreamName.arxivArticles) { delivery in
            let article = try delivery.decode(ArxivArticle.self)
            guard try await store.save(article), textTrainAfter > 0 else { return }
            if let count = try await store.claimAutomaticTraining("arxiv", every: textTrainAfter) {
                let request = TrainRequest(requestId: "auto-arxiv-\(count)", kinds: ModelKind.arxiv, reason: "auto")
                try await producer.publish(request, trace: delivery.envelope.trace)
                delivery.logger.info("automatic training requested", metadata: ["articles": "\(count)", "request": "\(request.requestId)"])
            }
        }
        var textTrainer = TextTrainer()
        textTrainer.validationFraction = trainer.validationFraction
        textTrainer.minClassSupport = trainer.minClassSupport
        let textFeatures = try environment.int("TEXT_MAX_FEATURES", default: textTrainer.maxFeatures ?? 0, range: 0...5_000_000)
        textTrainer.maxFeatures = textFeatures == 0 ? nil : textFeatures
        textTrainer.separateTitle = try environment.bool("TEXT_SEPARATE_TITLE", default: textTrainer.separateTitle)
        let stage = TrainingStage(
            store: store, producer: producer, trainer: trainer, textTrainer: textTrainer,
            reportDirectory: runtime.configuration.dataDirectory + "/reports", threads: BlockingPool(threads: 1))
        runtime.consume(StreamName.modelsTrainRequests, concurrency: 1, handler: stage.handle)
        // MLflow, when configured: every model version exported in the background.
        let tracking = environment.string("MLFLOW_TRACKING_URI", default: "")
        if !tracking.isEmpty {
            guard tracking.hasPrefix("http://") || tracking.hasPrefix("https://") else {
                throw ConfigurationError(variable: "MLFLOW_TRACKING_URI", value: tracking, expected: "http(s)://host:port of an MLflow tracking server")
            }
            // Credentials in the URI would be logged with it and kept in errors: they go in
            // MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD instead.
            guard URLComponents(string: tracking)?.user == nil else {
                throw ConfigurationError(variable: "MLFLOW_TRACKING_URI", value: "(a URI with credentials, not repeated here)",
                                         expected: "no user or password in it; set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD")
            }
            var exporter = MLflowExporter(store: store, client: MLflowClient(baseURL: tracking, environment: environment.values), logger: logger)
            exporter.interval = try environment.milliseconds("MLFLOW_EXPORT_INTERVAL_MS", default: .seconds(10), range: 50...3_600_000)
            exporter.retryBase = try environment.milliseconds("MLFLOW_RETRY_MS", default: .seconds(30), range: 50...3_600_000)
            exporter.prefix = environment.string("MLFLOW_EXPERIMENT_PREFIX", default: "starstream")
            runtime.addService(exporter)
        }
        runtime.routes { router in Self.routes(router, store: store) }
        return runtime.build()
    }
}
