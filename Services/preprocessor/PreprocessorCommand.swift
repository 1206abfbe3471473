import ArgumentParser
import BlockingIO
import Contracts
import Hummingbird
import ServiceKit

@main
struct PreprocessorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "preprocessor", abstract: "Masks, resamples and continuum-normalises spectra.")

    func run() async throws {
        try await Self.buildService().run()
    }
}
