import ArgumentParser
import BlockingIO
import Contracts
import Hummingbird
import ServiceKit

extension PreprocessorCommand {
    /// The preprocessor put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "preprocessor", environment: environment)
        let store = ProcessedStore(pool: runtime.usePostgres(ProcessedStore.migrator), directory: runtime.configuration.dataDirectory)
        let stage = PreprocessingStage(store: store, producer: runtime.producer, files: PeerFiles(), threads: BlockingPool(threads: 2))
        runtime.consumeBatch(StreamName.spectraCataloged, handler: stage.handle(batch:))
        runtime.routes { router in
            router.get("api/spectra/:obsid") { _, context -> Response in
                guard let obsid = context.parameters.get("obsid", as: Int.self) else { throw HTTPError(.badRequest, message: "obsid must be an integer") }
                guard let spectrum = try await store.spectrum(obsid: obsid) else { throw HTTPError(.notFound, message: "no processed spectrum \(obsid)") }
                return try ServiceRuntime.json(spectrum)
            }
        }
        return runtime.build()
    }
}
