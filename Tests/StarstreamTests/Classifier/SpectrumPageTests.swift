import Contracts
import Hummingbird
import HummingbirdCore
import Mongo
import Testing
@testable import classifier

@Suite("The classifier's spectra pages, walked through OBSID windows of a real MongoDB stand-in")
struct SpectrumPageTests {
    typealias Document = SpectrumPredictionStore.Document

    /// Classified spectra across gaps of every size (dense runs, a million, 2^40, 2^51, the
    /// largest OBSID there can be), with a negative one and waiting ones among them: more than
    /// a window holds when a page filters some of what the store finds (250).
    static let obsids: [Int] = Array(1...400) + Array(1_000_000...1_000_040) + [1 << 40, (1 << 40) + 1]
        + Array((1 << 51)...((1 << 51) + 30)) + [-7] + Array((Int.max - 40)...Int.max)

    static func document(_ obsid: Int, index: Int) -> Document {
        let galaxy = index % 9 == 0
        let label = galaxy ? "GALAXY" : "STAR"
        let letter = ["A", "F", "G", "K", "M"][index % 5]
        let confidence = Double(index % 10) / 10
        return Document(
            obsid: obsid, file: "spec-\(obsid).fits.gz", sha256: String(repeating: "ab", count: 32), status: .classified,
            surveyClass: index % 7 == 0 ? "GALAXY" : "STAR", surveySubclass: "\(letter)5", plan: "plan\(index % 4)", featureVersion: "lines-v2",
            objectClass: SpectrumPrediction(label: label, probabilities: [label: confidence], model: "spectra-class@1"),
            mkLetter: galaxy ? nil : SpectrumPrediction(label: letter, probabilities: [letter: 0.9], model: "spectra-mk@1"),
            features: nil, classCorrect: index % 7 != 0)
    }

    /// The collection, filled once for the suite (every test only reads it).
    struct Stored: Sendable {
        var store: SpectrumPredictionStore
        /// The classified documents in OBSID order.
        var classified: [Document]
    }

    static let stored = Task<Stored, any Error> {
        let client = try MongoClient(uri: uniqueMongoURI())
        try await SpectrumPredictionStore.prepare(client)
        let store = SpectrumPredictionStore(collection: client.collection("spectra_predictions"))
        var classified: [Document] = []
        for (index, obsid) in obsids.enumerated() {
            let document = document(obsid, index: index)
            try await store.save(document)
            classified.append(document)
            if index % 25 == 0 {
                // Waiting for a model: never listed.
                var waiting = Self.document(obsid + (obsid < Int.max - 100 ? 50_000_000 : -1_000), index: index)
                waiting.status = .awaitingModel
                waiting.objectClass = nil
                try await store.save(waiting)
            }
        }
        return Stored(store: store, classified: classified.sorted { $0.obsid < $1.obsid })
    }

    let store: SpectrumPredictionStore
    let classified: [Document]

    init() async throws {
        let stored = try await Self.stored.value
        (store, classified) = (stored.store, stored.classified)
    }

    /// Every page of `query` from the first, following the cursors.
    func allPages(_ query: SpectrumPageQuery, widths: ObsidWindowWidths) async throws -> [SpectrumPredictionPage] {
        var pages: [SpectrumPredictionPage] = []
        var query = query
        repeat {
            let page = try await SpectrumPredictionPage.read(query, store: store, widths: widths)
            pages.append(page)
            query.cursor = page.nextCursor
        } while query.cursor != nil && pages.count < 1_000
        return pages
    }

    /// Initial widths far too narrow and far too wide as well as the default: the walk corrects both.
    @Test("unfiltered pages hold every classified spectrum once, in OBSID order, full but the last", arguments: [
        (1, ObsidWindowWidths.initial), (7, 1), (7, Int.max), (50, 1), (50, ObsidWindowWidths.initial), (50, Int.max),
    ])
    func everySpectrumOnce(limit: Int, initialWidth: Int) async throws {
        let widths = ObsidWindowWidths()
        widths.remember(initialWidth, for: "classified")
        let pages = try await allPages(SpectrumPageQuery(limit: limit), widths: widths)
        #expect(pages.flatMap(\.items).map(\.obsid) == classified.map(\.obsid))
        #expect(pages.dropLast().allSatisfy { $0.items.count == limit })
        #expect(pages.last?.items.isEmpty == false)
        #expect(pages.last?.nextCursor == nil)
        #expect(pages.flatMap(\.items).allSatisfy { $0.features == nil })
    }

    @Test("filtered pages hold exactly the spectra that pass every filter, the store's and the page's", arguments: [
        SpectrumPageQuery(equalities: [.objectClass: .string("GALAXY")], limit: 7),
        SpectrumPageQuery(equalities: [.mkLetter: .string("K"), .plan: .string("plan1")], limit: 5),
        SpectrumPageQuery(equalities: [.classCorrect: .bool(false)], limit: 50),
        SpectrumPageQuery(equalities: [.surveyClass: .string("STAR"), .objectClass: .string("STAR")], minimumConfidence: 0.8, limit: 10),
        SpectrumPageQuery(equalities: [.plan: .string("no such plan")], limit: 50),
        // Rare among what the store finds: pages go on through windows that came back full.
        SpectrumPageQuery(equalities: [.surveyClass: .string("STAR"), .objectClass: .string("GALAXY")], minimumConfidence: 0.9, limit: 50),
        SpectrumPageQuery(equalities: [.surveyClass: .string("STAR"), .objectClass: .string("GALAXY")], minimumConfidence: 0.9, limit: 2),
    ])
    func filtered(query: SpectrumPageQuery) async throws {
        let expected = classified.filter { query.passes($0, besides: nil) }.map(\.obsid)
        let pages = try await allPages(query, widths: ObsidWindowWidths())
        #expect(pages.flatMap(\.items).map(\.obsid) == expected)
        #expect(pages.allSatisfy { $0.items.count <= query.limit })
        #expect(pages.last?.nextCursor == nil)
        #expect(!expected.isEmpty || query.equalities[.plan] != nil)
    }

    @Test("a remembered lowest OBSID that spectra have since arrived below loses none of them", arguments: [1, 1 << 40, Int.max])
    func staleLowestKnown(lowest: Int) async throws {
        let widths = ObsidWindowWidths()
        widths.remember(51, lowest: lowest, for: "classified")
        let pages = try await allPages(SpectrumPageQuery(limit: 50), widths: widths)
        #expect(pages.flatMap(\.items).map(\.obsid) == classified.map(\.obsid))
        #expect(widths.hint(for: "classified").lowest == classified.first?.obsid)
    }

    @Test("a page starting past a cursor begins after it, and one past the largest OBSID is empty and last")
    func cursors() async throws {
        let widths = ObsidWindowWidths()
        let page = try await SpectrumPredictionPage.read(SpectrumPageQuery(limit: 3, cursor: 1_000_000), store: store, widths: widths)
        #expect(page.items.map(\.obsid) == [1_000_001, 1_000_002, 1_000_003])
        #expect(page.nextCursor == 1_000_003)
        let end = try await SpectrumPredictionPage.read(SpectrumPageQuery(limit: 3, cursor: Int.max), store: store, widths: widths)
        #expect(end.items.isEmpty)
        #expect(end.nextCursor == nil)
    }

}

@Suite("The spectra page's query string: each bad value a 400 naming its parameter")
struct SpectrumPageQueryTests {
    @Test("a bad query parameter is a 400 that names it", arguments: [
        "limit=0", "limit=501", "limit=ten", "cursor=abc", "correct=maybe", "min_confidence=1.5", "min_confidence=x",
    ])
    func badParameter(query: String) throws {
        let name = String(query.prefix { $0 != "=" })
        #expect {
            _ = try SpectrumPageQuery(URI("/api/spectra/page?" + query).queryParameters)
        } throws: { error in
            guard let error = error as? HTTPError else { return false }
            return error.status == .badRequest && error.body?.contains(name) == true
        }
    }

    @Test("the query string's filters become equalities, the first in the field order matched by the store")
    func parameters() throws {
        let query = try SpectrumPageQuery(URI("/api/spectra/page?class=STAR&mk=K&correct=false&min_confidence=0.5&limit=20&cursor=42").queryParameters)
        #expect(query == SpectrumPageQuery(
            equalities: [.objectClass: .string("STAR"), .mkLetter: .string("K"), .classCorrect: .bool(false)],
            minimumConfidence: 0.5, limit: 20, cursor: 42))
        #expect(query.storedEquality == .mkLetter)
        #expect(try SpectrumPageQuery(URI("/api/spectra/page").queryParameters) == SpectrumPageQuery())
    }
}

@Suite("OBSID windows: bounded on both sides, sized by what the last one held")
struct ObsidWindowWalkTests {
    @Test("from the start the first window reaches zero; a full window narrows to how far apart its documents lie")
    func narrowsWhenFull() {
        var walk = ObsidWindowWalk(after: nil, width: 1_000, target: 51)
        #expect(walk.window == (Int.min, 0))
        walk.advance(returned: 0, first: nil, last: nil)
        #expect(walk.window == (0, 1_000))
        #expect(walk.width == 1_000)
        walk.advance(returned: 51, first: 150, last: 200)
        #expect(walk.window == (200, 251))
    }

    @Test("a full window past a wide gap learns the width of its documents, not of the gap")
    func fullPastAGap() {
        var walk = ObsidWindowWalk(after: 0, width: 16_000_000, target: 51)
        walk.advance(returned: 51, first: 10_000_001, last: 10_000_051)
        #expect(walk.width == 51)
        #expect(walk.window == (10_000_051, 10_000_102))
    }

    @Test("from the start with the lowest OBSID known, the first window reaches just past it; a page found short there does not teach the width")
    func firstWindowFromTheLowestKnown() {
        var walk = ObsidWindowWalk(after: nil, width: 51, target: 51, lowest: 10_000_001)
        #expect(walk.window == (Int.min, 10_000_051))
        walk.advance(returned: 20, first: 10_000_001, last: 10_000_020)
        #expect(walk.width == 51)
        #expect(walk.window == (10_000_051, 10_000_102))
        // A cursor wins over the hint.
        #expect(ObsidWindowWalk(after: 5, width: 51, target: 51, lowest: 10_000_001).window == (5, 56))
    }

    @Test("an empty window widens sixteen times, a partly filled one by what it lacked")
    func widensWhenShort() {
        var walk = ObsidWindowWalk(after: 100, width: 10, target: 50)
        walk.advance(returned: 0, first: nil, last: nil)
        #expect(walk.window == (110, 270))
        walk.advance(returned: 25, first: 150, last: 200)
        #expect(walk.window == (270, 590))
    }

    @Test("the last window ends at the largest OBSID, and past it the walk is exhausted")
    func endsAtTheLargestObsid() {
        var walk = ObsidWindowWalk(after: Int.max - 5, width: Int.max, target: 10)
        #expect(walk.window == (Int.max - 5, Int.max))
        walk.advance(returned: 3, first: Int.max - 2, last: Int.max)
        #expect(walk.exhausted)
    }
}
