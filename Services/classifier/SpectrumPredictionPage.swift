import Hummingbird
import Mongo

/// `GET /api/spectra/page`: classified spectra in OBSID order, filtered by predicted class and
/// MK letter, the survey's class and plan, whether the two agree, and the prediction's confidence.
struct SpectrumPredictionPage: Codable, Sendable {
    var items: [SpectrumPredictionStore.Document]
    /// The OBSID to pass as `cursor` for the next page; absent on the last.
    var nextCursor: Int?
    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }

    /// At most this many documents are examined for one page: past it, a page comes back short
    /// and its cursor says where to go on (a rare filter does not make one request scan everything).
    static let examinedPerPage = 5_000
    /// And at most this many queries (empty windows widen 16 times: 16 of them span every OBSID).
    static let windowsPerPage = 64

    static func read(_ request: Request, store: SpectrumPredictionStore, widths: ObsidWindowWidths) async throws -> SpectrumPredictionPage {
        try await read(SpectrumPageQuery(request.uri.queryParameters), store: store, widths: widths)
    }

    /// Walks OBSID windows (see `ObsidWindowWalk`) until the page and one more spectrum are
    /// found (the one more says a next page exists), every OBSID is examined, or the budget is spent.
    static func read(_ query: SpectrumPageQuery, store: SpectrumPredictionStore, widths: ObsidWindowWidths) async throws -> SpectrumPredictionPage {
        var filter = MongoFilter()
        filter.conditions["status"] = .string(SpectrumPredictionStore.Document.Status.classified.rawValue)
        let stored = query.storedEquality
        var kind = "classified"
        if let stored, let value = query.equalities[stored] {
            filter.conditions[stored.rawValue] = value
            kind = "\(stored.rawValue)=\(value)"
        }
        // With filters matched here a window should hold more than a page, to keep queries few.
        let filteredHere = query.minimumConfidence != nil || query.equalities.count > 1
        let target = filteredHere ? max(query.limit + 1, 250) : query.limit + 1
        let hint = widths.hint(for: kind)
        var walk = ObsidWindowWalk(after: query.cursor, width: hint.width, target: target, lowest: hint.lowest)
        var lowest: Int?
        var items: [SpectrumPredictionStore.Document] = []
        var examined = 0
        var windows = 0
        while !walk.exhausted, items.count <= query.limit, examined < examinedPerPage, windows < windowsPerPage {
            let window = walk.window
            filter.conditions["obsid"] = .range(above: window.above, atMost: window.atMost)
            // A list shows no explanations and no vectors: the server leaves them out.
            let found = try await store.collection.find(
                SpectrumPredictionStore.Document.self, filter: filter, sort: ["obsid": 1], limit: target,
                projection: ["class.explanation": 0, "mk_letter.explanation": 0, "features": 0])
            windows += 1
            examined += found.count
            for var document in found where query.passes(document, besides: stored) {
                document.features = nil
                items.append(document)
                if items.count > query.limit { break }
            }
            if query.cursor == nil, lowest == nil { lowest = found.first?.obsid }
            walk.advance(returned: found.count, first: found.first?.obsid, last: found.last?.obsid)
        }
        widths.remember(walk.width, lowest: lowest, for: kind)
        if items.count > query.limit {
            items.removeLast(items.count - query.limit)
            return SpectrumPredictionPage(items: items, nextCursor: items.last?.obsid)
        }
        return SpectrumPredictionPage(items: items, nextCursor: walk.exhausted ? nil : walk.lower)
    }
}
