import Foundation
import Hummingbird
import Mongo

/// A MongoDB filter of equalities and one `$gt`, encoded as the query document itself.
struct MongoFilter: Encodable, Sendable {
    enum Value: Encodable, Sendable {
        case string(String), bool(Bool), greaterThan(Int)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let text): try container.encode(text)
            case .bool(let flag): try container.encode(flag)
            case .greaterThan(let number): try container.encode(["$gt": number])
            }
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var conditions: [String: Value] = [:]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in conditions { try container.encode(value, forKey: Key(stringValue: key)) }
    }
}

/// `GET /api/spectra/page`: classified spectra in OBSID order, filtered by predicted class and
/// MK letter, the survey's class and plan, whether the two agree, and the prediction's confidence.
struct SpectrumPredictionPage: Codable, Sendable {
    var items: [SpectrumPredictionStore.Document]
    /// The OBSID to pass as `cursor` for the next page; absent on the last.
    var nextCursor: Int?
    enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }

    static func read(_ request: Request, store: SpectrumPredictionStore) async throws -> SpectrumPredictionPage {
        let query = request.uri.queryParameters
        var filter = MongoFilter()
        filter.conditions["status"] = .string(SpectrumPredictionStore.Document.Status.classified.rawValue)
        if let label = query.get("class") { filter.conditions["class.label"] = .string(label) }
        if let letter = query.get("mk") { filter.conditions["mk_letter.label"] = .string(letter) }
        if let survey = query.get("survey_class") { filter.conditions["survey_class"] = .string(survey) }
        if let plan = query.get("plan") { filter.conditions["plan"] = .string(plan) }
        if let correct = query.get("correct") {
            guard let flag = Bool(correct) else { throw HTTPError(.badRequest, message: "correct must be true or false") }
            filter.conditions["class_correct"] = .bool(flag)
        }
        let minimum = try query.get("min_confidence").map { text in
            guard let value = Double(text), (0...1).contains(value) else { throw HTTPError(.badRequest, message: "min_confidence must be from 0 to 1") }
            return value
        }
        let limit = try query.get("limit").map { text in
            guard let value = Int(text), (1...500).contains(value) else { throw HTTPError(.badRequest, message: "limit must be from 1 to 500") }
            return value
        } ?? 50
        var cursor = try query.get("cursor").map { text in
            guard let value = Int(text) else { throw HTTPError(.badRequest, message: "cursor must be an OBSID") }
            return value
        }
        // The confidence is a probability inside the document: filtered here, scanning forward
        // in chunks; a page may come back short, its cursor still says where to go on.
        var items: [SpectrumPredictionStore.Document] = []
        var scanned = 0
        var exhausted = false
        // Without a confidence filter one chunk of limit + 1 tells whether a next page exists;
        // with one, chunks of at least 500 keep the round trips few.
        let chunkSize = minimum == nil ? limit + 1 : max(limit + 1, 500)
        while items.count < limit, scanned < 5_000 {
            if let cursor { filter.conditions["obsid"] = .greaterThan(cursor) }
            let chunk = try await store.collection.find(SpectrumPredictionStore.Document.self, filter: filter, sort: ["obsid": 1], limit: chunkSize)
            var examined = 0
            for var document in chunk.prefix(minimum == nil ? limit : chunk.count) {
                examined += 1
                cursor = document.obsid
                let confidence = document.objectClass.map { $0.probabilities[$0.label] ?? 0 } ?? 0
                if let minimum, confidence < minimum { continue }
                document.features = nil
                items.append(document)
                if items.count == limit { break }
            }
            scanned += examined
            // Every document after the cursor was looked at: there is no next page.
            if examined == chunk.count, chunk.count < chunkSize { exhausted = true; break }
        }
        if exhausted { return SpectrumPredictionPage(items: items, nextCursor: nil) }
        return SpectrumPredictionPage(items: items, nextCursor: cursor)
    }
}
