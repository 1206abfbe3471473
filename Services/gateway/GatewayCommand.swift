import ArgumentParser
import ServiceKit

@main
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "One door to Starstream: a REST API over every result, dead-letter tools and a dashboard.",
        subcommands: [Serve.self, StatusCommand.self, DeadLettersCommand.self], defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the gateway service (default).")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "gateway")
        let configuration = try GatewayConfiguration(environment: runtime.configuration.environment)
        try await buildGateway(runtime: &runtime, configuration: configuration).service.run()
    }
}
