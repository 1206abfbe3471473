import ArgumentParser
import BlockingIO
import Contracts
import HTTPClient
import ServiceKit

/// The service: `spectra.fetch-requests` → files on its disk, served over HTTP → `spectra.downloaded`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the fetcher service (default).")

    func run() async throws {
        try await Self.buildService().run()
    }
}
