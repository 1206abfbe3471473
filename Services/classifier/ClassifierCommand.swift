import ArgumentParser
import ServiceKit

@main
struct ClassifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "classifier", abstract: "Classifies spectra and papers with the latest models.")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "classifier")
        _ = try runtime.useMongo()
        try await runtime.run()
    }
}
