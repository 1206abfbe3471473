import ArgumentParser
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import ServiceKit
import Streams

/// The service: loads the newest models from the trainer (at start-up, on `models.trained`, and
/// every `MODEL_REFRESH_S` for replicas that did not receive the announcement) and classifies
/// `spectra.features`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the classifier service (default).")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "classifier")
        let environment = runtime.configuration.environment
        let trainerURL = environment.string("TRAINER_URL", default: "http://127.0.0.1:\(ServiceDirectory.defaultPort(of: "trainer"))")
        let mongo = try runtime.useMongo(prepare: SpectrumPredictionStore.prepare)
        let book = ModelBook()
        let trainer = TrainerClient(baseURL: trainerURL, http: HTTPClient())
        let spectra = SpectraClassification(
            book: book, store: SpectrumPredictionStore(collection: mongo.collection("spectra_predictions")), producer: runtime.producer)
        let logger = runtime.logger

        @Sendable func load(_ announcement: ModelTrained) async throws {
            guard ModelKind.spectra.contains(announcement.kind) else { return }
            if let current = await book.model(announcement.kind), current.announcement.modelVersion >= announcement.modelVersion { return }
            let model = try await trainer.artifact(of: announcement)
            guard await book.install(.init(announcement: announcement, model: model)) else { return }
            logger.info("model loaded", metadata: ["model": "\(announcement.modelId)", "classes": "\(announcement.classes)"])
            // A session announces CLASS before MK: with the MK model in too, the backlog is classified once, not twice.
            if announcement.kind == .spectraClass, await book.model(.spectraMK) == nil, let letters = try? await trainer.latest(.spectraMK),
               let model = try? await trainer.artifact(of: letters), await book.install(.init(announcement: letters, model: model)) {
                logger.info("model loaded", metadata: ["model": "\(letters.modelId)", "classes": "\(letters.classes)"])
            }
            _ = try await spectra.drainBacklog(after: announcement.kind, logger: logger)
        }
        // Models announced before this process started are not redelivered: ask the trainer.
        runtime.onStartup("load the latest models from the trainer") {
            for kind in ModelKind.spectra {
                do {
                    if let latest = try await trainer.latest(kind) { try await load(latest) }
                } catch {
                    logger.warning("no model loaded at start-up; waiting for models.trained", metadata: [
                        "kind": "\(kind.rawValue)", "trainer": "\(trainerURL)", "error": "\(error)",
                    ])
                }
            }
        }
        runtime.addService(ModelRefresher(
            kinds: ModelKind.spectra, interval: .seconds(try environment.int("MODEL_REFRESH_S", default: 15, range: 1...86_400)),
            trainer: trainer, book: book, load: load, logger: logger))
        runtime.consume(StreamName.modelsTrained, concurrency: 1) { delivery in
            try await load(try delivery.decode(ModelTrained.self))
        }
        runtime.consume(StreamName.spectraFeatures, handler: spectra.handle)
        runtime.routes { router in
            router.get("api/models") { _, _ in try ServiceRuntime.json(await book.announcements) }
            router.get("api/spectra/summary") { _, _ in try ServiceRuntime.json(try await spectra.store.summary()) }
            router.get("api/spectra/:obsid") { _, context -> Response in
                guard let obsid = context.parameters.get("obsid", as: Int.self) else { throw HTTPError(.badRequest, message: "obsid must be an integer") }
                guard let document = try await spectra.store.document(obsid: obsid) else { throw HTTPError(.notFound, message: "no prediction for \(obsid)") }
                return try ServiceRuntime.json(document)
            }
        }
        try await runtime.run()
    }
}
