import ArgumentParser
import BlockingIO
import Contracts
import Hummingbird
import ServiceKit

@main
struct PreprocessorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preprocessor", abstract: "Masks, resamples and continuum-normalises spectra.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "preprocessor")
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
        try await runtime.run()
    }
}
