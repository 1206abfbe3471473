import Arxiv
import AtomFeed
import Foundation
import HTTPClient

/// Where pages come from: the live API (or a local server speaking it), or a `file://`
/// directory of recorded responses, each file one page, read in name order.
enum FeedSource: Sendable {
    case api(base: String, client: HTTPClient, slot: APISlot)
    case recorded(directory: String)

    init(base: String, client: HTTPClient, slot: APISlot) {
        if base.hasPrefix("file://") {
            self = .recorded(directory: String(base.dropFirst("file://".count)))
        } else {
            self = .api(base: base, client: client, slot: slot)
        }
    }

    var isRecorded: Bool {
        if case .recorded = self { return true }
        return false
    }

    /// One page; nil past the end of a recorded directory.
    func page(_ query: ArxivQuery, start: Int, pageSize: Int, index: Int) async throws -> ArxivFeed? {
        switch self {
        case let .api(base, client, slot):
            let url = query.url(base: base, start: start, pageSize: pageSize)
            let response = try await slot.withSlot { try await client.send(HTTPClientRequest(url: url, timeout: .seconds(60))) }
            // arXiv answers a bad query with HTTP 400 and its error feed: parse it for the message.
            guard response.isSuccess || response.headers["content-type"]?.contains("xml") == true else {
                throw HTTPClientError.status(url: url, status: response.status, body: response.text)
            }
            return try AtomParser.parse(Data(response.body), source: url)
        case let .recorded(directory):
            let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".xml") }.sorted()
            guard index < files.count else { return nil }
            let path = directory + "/" + files[index]
            return try AtomParser.parse(try Data(contentsOf: URL(fileURLWithPath: path)), source: path)
        }
    }
}
