import ArgumentParser
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import Logging
import Redis
import ServiceKit
import Streams

extension Serve {
    /// The classifier put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "classifier", environment: environment)
        let environment = runtime.configuration.environment
        let trainerURL = environment.string("TRAINER_URL", default: "http://127.0.0.1:\(ServiceDirectory.defaultPort(of: "trainer"))")
        let mongo = try runtime.useMongo { client in
            try await SpectrumPredictionStore.prepare(client)
            try await ArxivClassificationStore.prepare(client)
            try await PredictionHistory.prepare(client)
        }
        let book = ModelBook()
        let trainer = TrainerClient(baseURL: trainerURL, http: HTTPClient())
        let history = PredictionHistory(spectra: mongo.collection("spectra_prediction_history"), papers: mongo.collection("classification_history"))
        let spectra = SpectraClassification(
            book: book, store: SpectrumPredictionStore(collection: mongo.collection("spectra_predictions")), history: history, producer: runtime.producer)
        let papers = ArxivClassification(
            book: book, store: ArxivClassificationStore(collection: mongo.collection("classifications")), history: history, producer: runtime.producer)
        let reclassification = Reclassification(redis: runtime.redis, logger: runtime.logger)
        let pipelines = [
            "spectra": Reclassification.Pipeline(
                name: "spectra",
                models: { [await book.model(.spectraClass), await book.model(.spectraMK)].compactMap { $0?.announcement.modelId } },
                pass: { progress in try await spectra.reclassify(progress: progress) },
                total: { try await spectra.store.collection.count(filter: ["status": SpectrumPredictionStore.Document.Status.classified.rawValue]) }),
            "arxiv": Reclassification.Pipeline(
                name: "arxiv",
                models: { [await book.model(.arxivArchive), await book.model(.arxivCategory)].compactMap { $0?.announcement.modelId } },
                pass: { progress in try await papers.reclassify(progress: progress) },
                total: { try await papers.store.collection.count(filter: ["waiting": false]) }),
        ]
        let loader = ModelLoader(
            book: book, trainer: trainer, spectra: spectra, papers: papers, drains: BacklogDrains(),
            reclassify: { kind in await reclassification.start(pipelines[BacklogDrains.pipeline(kind)]!) }, logger: runtime.logger)
        let logger = runtime.logger
        let behind = ModelRefresher.Behind()

        // Models announced before this process started are not redelivered: ask the trainer.
        runtime.onStartup("load the latest models from the trainer") {
            for kind in ModelKind.allCases {
                do {
                    if let latest = try await trainer.latest(kind) { try await loader.load(latest) }
                } catch {
                    behind.set()
                    logger.warning("no model loaded at start-up; asking the trainer again every 5 s until it answers", metadata: [
                        "kind": "\(kind.rawValue)", "trainer": "\(trainerURL)", "error": "\(error)",
                    ])
                }
            }
            // A pass a stopped replica left unfinished (or never began) is taken up: items
            // already answered by the loaded models are only read.
            for (_, pipeline) in pipelines.sorted(by: { $0.key < $1.key }) where !(await pipeline.models()).isEmpty {
                await reclassification.start(pipeline)
            }
        }
        // A safety net behind the subscription: every MODEL_REFRESH_S, and every 5 s while a
        // load has failed (the trainer unreachable at start-up or when a model was announced).
        runtime.addService(ModelRefresher(
            kinds: ModelKind.allCases, interval: .seconds(try environment.int("MODEL_REFRESH_S", default: 300, range: 1...86_400)),
            behind: behind, trainer: trainer, book: book, load: loader.load, logger: logger))
        // Every replica loads every new model: a subscription, not the group's one-replica delivery.
        runtime.subscribe(StreamName.modelsTrained) { envelope in
            do {
                try await loader.load(try ModelTrained(envelope: envelope, stream: StreamName.modelsTrained))
            } catch {
                behind.set()
                throw error
            }
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
        let windowWidths = ObsidWindowWidths()
        runtime.routes { router in
            router.get("api/models") { _, _ in try ServiceRuntime.json(await book.announcements) }
            router.get("api/spectra/summary") { _, _ in try ServiceRuntime.json(try await spectra.store.summary()) }
            router.get("api/spectra/page") { request, _ in
                try ServiceRuntime.json(try await SpectrumPredictionPage.read(request, store: spectra.store, widths: windowWidths))
            }
            router.get("api/spectra/:obsid") { _, context -> Response in
                guard let obsid = context.parameters.get("obsid", as: Int.self) else { throw HTTPError(.badRequest, message: "obsid must be an integer") }
                guard var document = try await spectra.store.document(obsid: obsid) else { throw HTTPError(.notFound, message: "no prediction for \(obsid)") }
                // The vector is the feature extractor's to serve; it is kept here for re-classification.
                document.features = nil
                return try ServiceRuntime.json(document)
            }
            // The answers newer models replaced, by model version (`?model=spectra-mk@3`).
            router.get("api/spectra/:obsid/history") { request, context -> Response in
                guard let obsid = context.parameters.get("obsid", as: Int.self) else { throw HTTPError(.badRequest, message: "obsid must be an integer") }
                return try ServiceRuntime.json(try await history.spectrum(obsid: obsid, model: request.uri.queryParameters.get("model")))
            }
            router.get("api/reclassification") { _, _ in try ServiceRuntime.json(await reclassification.all) }
            // The gateway's papers list asks for the predictions of a page of papers at once.
            router.post("api/arxiv/lookup") { request, context -> Response in
                let ids = try await request.decode(as: ArxivLookup.self, context: context).ids
                guard ids.count <= 500 else { throw HTTPError(.badRequest, message: "at most 500 ids per lookup, not \(ids.count)") }
                return try ServiceRuntime.json(try await papers.store.latest(articleIds: ids))
            }
            router.get("api/arxiv/summary") { _, _ in try ServiceRuntime.json(try await papers.store.summary()) }
            router.get("api/arxiv/:id/history") { request, context -> Response in
                guard let id = context.parameters.get("id")?.removingPercentEncoding else { throw HTTPError(.badRequest, message: "a paper id is needed") }
                return try ServiceRuntime.json(try await history.paper(articleId: id, model: request.uri.queryParameters.get("model")))
            }
            router.get("api/arxiv/:id") { _, context -> Response in
                guard let id = context.parameters.get("id")?.removingPercentEncoding,
                      let document = try await papers.store.latest(articleId: id) else { throw HTTPError(.notFound) }
                return try ServiceRuntime.json(document)
            }
        }
        return runtime.build()
    }
}
