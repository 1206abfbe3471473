import ArgumentParser
import Postgres
import ServiceKit

@main
struct PreprocessorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preprocessor", abstract: "Masks, resamples and continuum-normalises spectra.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "preprocessor")
        _ = runtime.usePostgres(SchemaMigrator(schema: "preprocessor", migrations: [.idempotencyLedger(schema: "preprocessor")]))
        try await runtime.run()
    }
}
