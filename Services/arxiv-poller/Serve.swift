import ArgumentParser
import Arxiv
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import OAIPMH
import ServiceKit
import Streams

/// The service: polls the arXiv API on a schedule and on `arxiv.poll-requests` (a poll now, or
/// a backfill of a submission-date range), storing and announcing new versions.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the arXiv poller service (default).")

    func run() async throws {
        try await Self.buildService().run()
    }
}

/// A poll request that cannot succeed as given.
struct InvalidPollRequest: Error, NonRetryableError, CustomStringConvertible {
    var reason: String
    var description: String { "invalid poll request: \(reason)" }
}
