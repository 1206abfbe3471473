import ArgumentParser
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import ServiceKit
import Streams

extension DriftMonitorCommand {
    /// The drift-monitor put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "drift-monitor", environment: environment)
        let environment = runtime.configuration.environment
        let store = DriftStore(pool: runtime.usePostgres(DriftStore.migrator))
        let trainerURL = environment.string("TRAINER_URL", default: "http://127.0.0.1:\(ServiceDirectory.defaultPort(of: "trainer"))")
        let references = ReferenceBook()
        let monitor = DriftMonitor(
            store: store, references: references, producer: runtime.producer,
            window: try environment.int("DRIFT_WINDOW", default: 500, range: 20...100_000),
            every: try environment.int("DRIFT_EVERY", default: 500, range: 1...1_000_000),
            shareThreshold: try environment.double("DRIFT_SHARE", default: 0.5, range: 0.01...1), logger: runtime.logger)
        let http = HTTPClient()
        let logger = runtime.logger

        @Sendable func load(_ kind: ModelKind, version: Int) async throws {
            if let current = await references.version(kind), current >= version { return }
            let url = "\(trainerURL)/api/models/\(kind.rawValue)/\(version)/reference"
            let response = try await http.get(url)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            await references.install(kind, version: version, try decoder.decode(ReferenceProfile.self, from: Data(response.body)))
            logger.info("reference profile loaded", metadata: ["model": "\(kind.rawValue)@\(version)"])
        }
        let watched = DriftMonitor.pipelines.values.map(\.kind)
        runtime.onStartup("load the reference profiles of the active models") {
            for kind in watched {
                do {
                    let response = try await http.send(HTTPClientRequest(url: "\(trainerURL)/api/models/\(kind.rawValue)/latest"))
                    guard response.status == 200 else { continue }
                    let decoder = JSONDecoder()
                    decoder.dateDecodingStrategy = .iso8601
                    let latest = try decoder.decode(ModelTrained.self, from: Data(response.body))
                    try await load(kind, version: latest.modelVersion)
                } catch {
                    logger.warning("no reference at start-up; waiting for models.trained", metadata: ["kind": "\(kind.rawValue)", "error": "\(error)"])
                }
            }
        }
        runtime.consume(StreamName.modelsTrained, concurrency: 1) { delivery in
            let model = try delivery.decode(ModelTrained.self)
            if watched.contains(model.kind) { try await load(model.kind, version: model.modelVersion) }
        }
        runtime.consume(StreamName.spectraFeatures) { delivery in
            let message = try delivery.decode(SpectrumFeatures.self)
            var numeric: [String: Double] = [:]
            for (name, value) in zip(message.features.names, message.features.values) where value?.isFinite == true { numeric[name] = value }
            try await monitor.observe(
                pipeline: "spectra", source: "features", key: message.idempotencyKey, .init(numeric: numeric, categorical: [:], correct: nil),
                trace: delivery.envelope.trace)
        }
        runtime.consume(StreamName.spectraClassified) { delivery in
            let message = try delivery.decode(SpectrumClassified.self)
            let labelled = ["STAR", "GALAXY", "QSO"].contains(message.surveyClass)
            var categorical = ["predicted": message.objectClass.label]
            if labelled { categorical["label"] = message.surveyClass }
            try await monitor.observe(
                pipeline: "spectra", source: "predictions", key: message.idempotencyKey,
                .init(numeric: [:], categorical: categorical, correct: labelled ? message.objectClass.label == message.surveyClass : nil),
                trace: delivery.envelope.trace)
        }
        runtime.consume(StreamName.arxivClassified) { delivery in
            let message = try delivery.decode(ArxivClassified.self)
            guard let predicted = message.category?.label else { return }
            var numeric = ["words": Double(message.words)]
            if let oov = message.outOfVocabulary { numeric["out_of_vocabulary"] = oov }
            try await monitor.observe(
                pipeline: "arxiv", source: "predictions", key: message.idempotencyKey,
                .init(
                    numeric: numeric, categorical: ["label": message.trueCategory, "predicted": predicted], correct: message.categoryCorrect,
                    newWords: message.newWords ?? []),
                trace: delivery.envelope.trace)
        }
        // Papers' text columns arrive with their predictions on arxiv.classified; the raw
        // articles need nothing more here.
        runtime.consume(StreamName.arxivArticles) { _ in }
        runtime.routes { router in
            router.get("api/drift/reports") { _, _ in try ServiceRuntime.json(try await store.reports(limit: 50)) }
            router.get("api/drift/alerts") { _, _ in try ServiceRuntime.json(try await store.alerts(limit: 50)) }
            router.get("api/drift/reports/:id/html") { _, context -> Response in
                guard let id = context.parameters.get("id", as: Int.self), let html = try await store.html(id: id) else { throw HTTPError(.notFound) }
                return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
            }
            router.post("api/drift/:pipeline/report") { _, context -> Response in
                guard let pipeline = context.parameters.get("pipeline"), DriftMonitor.pipelines[pipeline] != nil else { throw HTTPError(.notFound) }
                guard let report = try await monitor.report(pipeline, trace: "http") else {
                    throw HTTPError(.conflict, message: "no reference profile or too few observations yet")
                }
                return try ServiceRuntime.json(report)
            }
        }
        return runtime.build()
    }
}
