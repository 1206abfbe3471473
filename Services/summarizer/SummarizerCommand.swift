import ArgumentParser
import ServiceKit

@main
struct SummarizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summarizer", abstract: "Summarises and translates arXiv papers.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "summarizer")
        _ = try runtime.useMongo()
        try await runtime.run()
    }
}
