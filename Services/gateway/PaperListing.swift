import Foundation
import Hummingbird
import ServiceKit

/// `GET /api/papers`: the arxiv-poller's stored papers with its filters; with `correct`, only
/// those whose predicted category the classifier got right (or wrong). The two services own
/// the two halves, so the gateway walks the poller's pages and asks the classifier about each
/// page at once, until the page is full or 2,000 papers were looked at (a short page's cursor
/// still says where to go on).
struct PaperListing: Sendable {
    let services: OwningServices

    struct Page: Codable {
        var items: [AnyJSON]
        var nextCursor: String?
        enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }
    }

    struct Prediction: Decodable {
        var categoryCorrect: Bool?
        enum CodingKeys: String, CodingKey { case categoryCorrect = "category_correct" }
    }

    func page(_ request: Request) async throws -> Response {
        let query = try ResultsAPI.checkedQuery(request, allowed: ResultsAPI.paperFilters)
        guard let wanted = query.first(where: { $0.name == "correct" }).map({ $0.value == "true" }) else {
            return try await services.forward("arxiv-poller", "/api/arxiv/articles" + ResultsAPI.encode(query))
        }
        let limit = query.first { $0.name == "limit" }.flatMap { Int($0.value) } ?? 50
        var cursor = query.first { $0.name == "cursor" }?.value
        let filters = query.filter { !["correct", "limit", "cursor"].contains($0.name) }
        var items: [AnyJSON] = [], examined = 0
        while items.count < limit, examined < 2_000 {
            var asked = filters + [(name: "limit", value: "200")]
            if let cursor { asked.append((name: "cursor", value: cursor)) }
            let data = try await services.get("arxiv-poller", "/api/arxiv/articles" + ResultsAPI.encode(asked)) ?? Data()
            let page = try JSONDecoder().decode(Page.self, from: data)
            let ids = page.items.compactMap { item -> String? in if case .object(let fields) = item, case .string(let id)? = fields["id"] { id } else { nil } }
            let predictions = try JSONDecoder().decode(
                [String: Prediction].self, from: try await services.post("classifier", "/api/arxiv/lookup", json: ["ids": ids]))
            var reachedLimit = false
            for (item, id) in zip(page.items, ids) {
                examined += 1
                cursor = id
                if predictions[id]?.categoryCorrect == wanted { items.append(item) }
                if items.count == limit { reachedLimit = true; break }
            }
            // The poller's last page was read to its end: nothing comes after it.
            if page.nextCursor == nil, !reachedLimit || ids.last == cursor { cursor = nil; break }
        }
        return try ServiceRuntime.json(Page(items: items, nextCursor: cursor))
    }
}
