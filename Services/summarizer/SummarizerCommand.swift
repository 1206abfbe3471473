import ArgumentParser
import Arxiv
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import Mongo
import ServiceKit
import Streams

@main
struct SummarizerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summarizer", abstract: "Summarises and translates arXiv papers.")

    func run() async throws {
        try await Self.buildService().run()
    }
}

struct SummaryKey: Encodable, Sendable {
    var articleId: String
    var version: Int
    enum CodingKeys: String, CodingKey { case articleId = "article_id", version }
}
