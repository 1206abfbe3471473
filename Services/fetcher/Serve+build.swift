import ArgumentParser
import BlockingIO
import Contracts
import HTTPClient
import ServiceKit

extension Serve {
    /// The fetcher put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "fetcher", environment: environment)
        let environment = runtime.configuration.environment
        var http = HTTPClient.Configuration()
        http.concurrency = try environment.int("FETCH_CONCURRENCY", default: 4, range: 1...64)
        let interval = try environment.milliseconds("FETCH_MIN_INTERVAL_MS", default: .zero, range: 0...60_000)
        if interval > .zero { http.minimumRequestInterval = interval }
        let directory = runtime.configuration.dataDirectory + "/spectra"
        let ledger = DownloadLedger(pool: runtime.usePostgres(DownloadLedger.migrator))
        let served = ServedFiles(ledger: ledger, directory: directory)
        let fetcher = Fetcher(
            ledger: ledger, served: served, producer: runtime.producer,
            http: HTTPClient(configuration: http), directory: directory,
            concurrency: http.concurrency, maxFileSize: try environment.int("FETCH_MAX_FILE_MB", default: 50, range: 1...10_000) << 20,
            advertisedURL: runtime.advertisedURL)
        runtime.consume(StreamName.spectraFetchRequests, handler: fetcher.handle)
        let files = FileRoutes(files: served, threads: BlockingPool(threads: 2))
        runtime.routes { router in files.register(on: router) }
        return runtime.build()
    }
}
