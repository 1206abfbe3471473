import ArgumentParser
import Postgres
import ServiceKit

@main
struct CatalogerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cataloger", abstract: "Reads FITS headers into the spectra catalog.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "cataloger")
        _ = runtime.usePostgres(SchemaMigrator(schema: "cataloger", migrations: [.idempotencyLedger(schema: "cataloger")]))
        try await runtime.run()
    }
}
