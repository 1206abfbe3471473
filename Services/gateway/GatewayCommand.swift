import ArgumentParser
import ServiceKit

@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Aggregates the status of every service and stream; REST API and dashboard.",
        subcommands: [Serve.self, StatusCommand.self], defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the gateway service (default).")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "gateway")
        let status = StatusAggregator(redis: runtime.redis, services: try ServiceEndpoints(environment: runtime.configuration.environment))
        runtime.routes { router in
            router.get("api/status") { _, _ in try ServiceRuntime.json(await status.snapshot()) }
            router.get("api/streams") { _, _ in try ServiceRuntime.json(await status.streams()) }
        }
        try await runtime.run()
    }
}
