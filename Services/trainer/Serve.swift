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
        try await Self.buildService().run()
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
        // Each model version's export to MLflow (empty of exports while MLFLOW_TRACKING_URI is unset).
        router.get("api/mlflow") { _, _ in try ServiceRuntime.json(try await store.mlflowExports()) }
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
