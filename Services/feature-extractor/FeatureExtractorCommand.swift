import ArgumentParser
import Postgres
import ServiceKit

@main
struct FeatureExtractorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "feature-extractor", abstract: "Measures line features of preprocessed spectra.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "feature-extractor")
        _ = runtime.usePostgres(SchemaMigrator(schema: "features", migrations: [.idempotencyLedger(schema: "features")]))
        try await runtime.run()
    }
}
