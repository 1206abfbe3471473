import ArgumentParser
import Postgres
import ServiceKit

@main
struct FetcherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fetcher", abstract: "Downloads LAMOST spectra by observation plan.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "fetcher")
        _ = runtime.usePostgres(SchemaMigrator(schema: "fetcher", migrations: [.idempotencyLedger(schema: "fetcher")]))
        try await runtime.run()
    }
}
