import ArgumentParser
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import Logging
import Redis
import ServiceKit
import Streams

/// The service: loads the newest models from the trainer (at start-up, on `models.trained`, and
/// every `MODEL_REFRESH_S` for replicas that did not receive the announcement), classifies
/// `spectra.features` and `arxiv.articles`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the classifier service (default).")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "classifier")
        let environment = runtime.configuration.environment
        let trainerURL = environment.string("TRAINER_URL", default: "http://127.0.0.1:\(ServiceDirectory.defaultPort(of: "trainer"))")
        let mongo = try runtime.useMongo { client in
            try await SpectrumPredictionStore.prepare(client)
            try await ArxivClassificationStore.prepare(client)
        }
        let book = ModelBook()
        let trainer = TrainerClient(baseURL: trainerURL, http: HTTPClient())
        let spectra = SpectraClassification(
            book: book, store: SpectrumPredictionStore(collection: mongo.collection("spectra_predictions")), producer: runtime.producer)
        let papers = ArxivClassification(
            book: book, store: ArxivClassificationStore(collection: mongo.collection("classifications")), producer: runtime.producer)
        let loader = ModelLoader(book: book, trainer: trainer, spectra: spectra, papers: papers, drains: BacklogDrains(), logger: runtime.logger)
        let logger = runtime.logger

        // Models announced before this process started are not redelivered: ask the trainer.
        runtime.onStartup("load the latest models from the trainer") {
            for kind in ModelKind.allCases {
                do {
                    if let latest = try await trainer.latest(kind) { try await loader.load(latest) }
                } catch {
                    logger.warning("no model loaded at start-up; waiting for models.trained", metadata: [
                        "kind": "\(kind.rawValue)", "trainer": "\(trainerURL)", "error": "\(error)",
                    ])
                }
            }
        }
        // A safety net only: every replica reads every announcement (below); this catches a
        // replica up that missed one (the trainer unreachable when it was announced, say).
        runtime.addService(ModelRefresher(
            kinds: ModelKind.allCases, interval: .seconds(try environment.int("MODEL_REFRESH_S", default: 300, range: 1...86_400)),
            trainer: trainer, book: book, load: loader.load, logger: logger))
        // Every replica loads every new model: a subscription, not the group's one-replica delivery.
        runtime.subscribe(StreamName.modelsTrained) { envelope in
            try await loader.load(try ModelTrained(envelope: envelope, stream: StreamName.modelsTrained))
        }
        // The group earlier versions read models.trained in: gone, so that its lag does not grow for ever.
        let redis = runtime.redis
        runtime.onStartup("remove the classifier group of models.trained") {
            // XGROUP DESTROY refuses a stream that does not exist, and answers 0 for a group that does not.
            if try await redis.command("EXISTS", StreamName.modelsTrained).int == 1 {
                _ = try await redis.command("XGROUP", "DESTROY", StreamName.modelsTrained, "classifier")
            }
        }
        runtime.consumeBatch(StreamName.spectraFeatures, handler: spectra.handle(batch:))
        runtime.consume(StreamName.arxivArticles, handler: papers.handle)
        runtime.routes { router in
            router.get("api/models") { _, _ in try ServiceRuntime.json(await book.announcements) }
            router.get("api/spectra/summary") { _, _ in try ServiceRuntime.json(try await spectra.store.summary()) }
            router.get("api/spectra/page") { request, _ in try ServiceRuntime.json(try await SpectrumPredictionPage.read(request, store: spectra.store)) }
            router.get("api/spectra/:obsid") { _, context -> Response in
                guard let obsid = context.parameters.get("obsid", as: Int.self) else { throw HTTPError(.badRequest, message: "obsid must be an integer") }
                guard let document = try await spectra.store.document(obsid: obsid) else { throw HTTPError(.notFound, message: "no prediction for \(obsid)") }
                return try ServiceRuntime.json(document)
            }
            // The gateway's papers list asks for the predictions of a page of papers at once.
            router.post("api/arxiv/lookup") { request, context -> Response in
                let ids = try await request.decode(as: ArxivLookup.self, context: context).ids
                guard ids.count <= 500 else { throw HTTPError(.badRequest, message: "at most 500 ids per lookup, not \(ids.count)") }
                return try ServiceRuntime.json(try await papers.store.latest(articleIds: ids))
            }
            router.get("api/arxiv/summary") { _, _ in try ServiceRuntime.json(try await papers.store.summary()) }
            router.get("api/arxiv/:id") { _, context -> Response in
                guard let id = context.parameters.get("id")?.removingPercentEncoding,
                      let document = try await papers.store.latest(articleId: id) else { throw HTTPError(.notFound) }
                return try ServiceRuntime.json(document)
            }
        }
        try await runtime.run()
    }
}

/// Fetches a model's artifact from the trainer, installs it if newer, and classifies what was
/// waiting for it.
struct ModelLoader: Sendable {
    let book: ModelBook
    let trainer: TrainerClient
    let spectra: SpectraClassification
    let papers: ArxivClassification
    let drains: BacklogDrains
    let logger: Logger

    @Sendable func load(_ announcement: ModelTrained) async throws {
        if let current = await book.model(announcement.kind), current.announcement.modelVersion >= announcement.modelVersion { return }
        guard try await install(announcement) else { return }
        let (spectra, papers, logger) = (spectra, papers, logger)
        var kinds: Set = [announcement.kind]
        if announcement.kind == .spectraClass, await book.model(.spectraMK) == nil,
           let letters = try? await trainer.latest(.spectraMK), (try? await install(letters)) == true {
            // A session announces CLASS before MK: with the MK model in too, the backlog is
            // classified once, not twice; and stars classified earlier get their letter.
            kinds.insert(.spectraMK)
        }
        try await drains.drain(kinds) { kind in
            switch kind {
            case .spectraClass, .spectraMK: _ = try await spectra.drainBacklog(after: kind, logger: logger)
            case .arxivArchive, .arxivCategory: _ = try await papers.drainBacklog(after: kind, logger: logger)
            }
        }
    }

    private func install(_ announcement: ModelTrained) async throws -> Bool {
        let artifact = try await trainer.artifact(of: announcement)
        guard await book.install(.init(announcement: announcement, artifact: artifact)) else { return false }
        logger.info("model loaded", metadata: ["model": "\(announcement.modelId)", "classes": "\(announcement.classes.count)"])
        return true
    }
}

/// `POST /api/arxiv/lookup`'s body: the papers whose latest predictions are wanted.
struct ArxivLookup: Decodable {
    var ids: [String]
}
