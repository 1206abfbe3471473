import ArgumentParser
import BlockingIO
import Contracts
import Foundation
import Hummingbird
import ServiceKit
import Streams

/// The service: keeps labelled feature vectors, trains on request (and after every
/// `TRAIN_AFTER_NEW` new labelled spectra), serves the registry and the artifacts.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the trainer service (default).")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "trainer")
        let environment = runtime.configuration.environment
        let store = TrainerStore(pool: runtime.usePostgres(TrainerStore.migrator))
        var trainer = SpectraTrainer()
        trainer.forest.trees = try environment.int("FOREST_TREES", default: 200, range: 1...5000)
        trainer.forest.maxDepth = try environment.int("FOREST_MAX_DEPTH", default: 20, range: 1...100)
        trainer.forest.seed = UInt64(try environment.int("TRAIN_SEED", default: 1, range: 0...Int.max))
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
        let textFeatures = try environment.int("TEXT_MAX_FEATURES", default: 100_000, range: 0...5_000_000)
        textTrainer.maxFeatures = textFeatures == 0 ? nil : textFeatures
        textTrainer.separateTitle = try environment.bool("TEXT_SEPARATE_TITLE", default: true)
        let stage = TrainingStage(
            store: store, producer: producer, trainer: trainer, textTrainer: textTrainer,
            reportDirectory: runtime.configuration.dataDirectory + "/reports", threads: BlockingPool(threads: 1))
        runtime.consume(StreamName.modelsTrainRequests, concurrency: 1, handler: stage.handle)
        runtime.routes { router in Self.routes(router, store: store) }
        try await runtime.run()
    }

    static func routes(_ router: Router<BasicRequestContext>, store: TrainerStore) {
        @Sendable func kind(_ context: BasicRequestContext) throws -> ModelKind {
            guard let name = context.parameters.get("kind"), let kind = ModelKind(rawValue: name) else {
                throw HTTPError(.notFound, message: "unknown model kind; one of " + ModelKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return kind
        }
        @Sendable func version(_ context: BasicRequestContext) throws -> Int {
            guard let version = context.parameters.get("version", as: Int.self) else { throw HTTPError(.badRequest, message: "version must be an integer") }
            // Versions are PostgreSQL integers: a larger number names no version (rather than failing the query).
            guard (1...Int(Int32.max)).contains(version) else { throw HTTPError(.notFound, message: "no version \(version)") }
            return version
        }
        router.get("api/models") { _, _ in try ServiceRuntime.json(try await store.models()) }
        router.get("api/models/:kind/latest") { _, context -> Response in
            guard let model = try await store.latest(try kind(context)) else { throw HTTPError(.notFound, message: "no model of this kind yet") }
            return try ServiceRuntime.json(model)
        }
        router.get("api/models/:kind/:version") { _, context -> Response in
            guard let evaluation = try await store.evaluationJSON(try kind(context), version: try version(context)) else { throw HTTPError(.notFound) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: evaluation)))
        }
        router.get("api/models/:kind/:version/artifact") { _, context -> Response in
            guard let artifact = try await store.artifact(try kind(context), version: try version(context)) else { throw HTTPError(.notFound) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: artifact)))
        }
        router.get("api/models/:kind/:version/spectra") { _, context -> Response in
            let (kind, version) = (try kind(context), try version(context))
            guard try await store.evaluationJSON(kind, version: version) != nil else { throw HTTPError(.notFound, message: "no version \(version) of \(kind.rawValue)") }
            return try ServiceRuntime.json(try await store.trainedSpectra(kind, version: version))
        }
        router.get("api/models/:kind/:version/reference") { _, context -> Response in
            guard let reference = try await store.reference(try kind(context), version: try version(context)) else { throw HTTPError(.notFound) }
            return try ServiceRuntime.json(reference)
        }
        router.get("api/models/:kind/:version/articles") { _, context -> Response in
            let (kind, version) = (try kind(context), try version(context))
            guard try await store.evaluationJSON(kind, version: version) != nil else { throw HTTPError(.notFound, message: "no version \(version) of \(kind.rawValue)") }
            return try ServiceRuntime.json(try await store.trainedArticles(kind, version: version))
        }
        router.get("api/sessions/latest") { _, _ -> Response in
            guard let session = try await store.session(requestId: nil) else { throw HTTPError(.notFound, message: "no training session yet") }
            return try ServiceRuntime.json(session)
        }
        router.get("api/sessions/:request") { _, context -> Response in
            guard let session = try await store.session(requestId: context.parameters.get("request")) else { throw HTTPError(.notFound) }
            return try ServiceRuntime.json(session)
        }
        router.get("api/labelled") { _, _ in try ServiceRuntime.json(try await store.labelledCounts()) }
    }
}
