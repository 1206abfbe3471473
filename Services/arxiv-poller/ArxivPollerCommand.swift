import ArgumentParser
import Postgres
import ServiceKit

@main
struct ArxivPollerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "arxiv-poller", abstract: "Polls the arXiv API for new papers.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "arxiv-poller")
        _ = runtime.usePostgres(SchemaMigrator(schema: "arxiv", migrations: [.idempotencyLedger(schema: "arxiv")]))
        try await runtime.run()
    }
}
