import ArgumentParser
import Postgres
import ServiceKit

@main
struct DriftMonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drift-monitor", abstract: "Compares live data and predictions with the training profile.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "drift-monitor")
        _ = runtime.usePostgres(SchemaMigrator(schema: "drift", migrations: [.idempotencyLedger(schema: "drift")]))
        try await runtime.run()
    }
}
