import ArgumentParser
import BlockingIO
import Contracts
import Hummingbird
import ServiceKit

/// The service: `spectra.downloaded` → a catalog row per OBSID → `spectra.cataloged`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the cataloger service (default).")

    func run() async throws {
        try await Self.buildService().run()
    }
}
