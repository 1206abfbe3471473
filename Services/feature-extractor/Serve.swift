import ArgumentParser
import BlockingIO
import Contracts
import Hummingbird
import ServiceKit
import Spectra
import Streams

/// The service: `spectra.preprocessed` → a feature vector per spectrum → `spectra.features`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the feature extractor service (default).")

    func run() async throws {
        try await Self.buildService().run()
    }
}
