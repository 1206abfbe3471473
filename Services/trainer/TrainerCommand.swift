import ArgumentParser
import Postgres
import ServiceKit

@main
struct TrainerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "trainer", abstract: "Trains and versions the spectra and text classifiers.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "trainer")
        _ = runtime.usePostgres(SchemaMigrator(schema: "trainer", migrations: [.idempotencyLedger(schema: "trainer")]))
        try await runtime.run()
    }
}
