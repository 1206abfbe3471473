import Foundation
import Mongo
import Testing

@Suite("MongoDB wrapper against a real wire-compatible server")
struct MongoTests {
    struct Summary: Codable, Sendable, Equatable {
        var articleId: String
        var version: Int
        var method: String
        var score: Double
        var languages: [String]
    }

    let client: MongoClient
    let collection: MongoCollection

    init() throws {
        client = try MongoClient(uri: TestServers.mongoURI)
        collection = client.collection(uniqueName("summaries"))
    }

    @Test("Codable documents round-trip through BSON")
    func roundTrip() async throws {
        let summary = Summary(articleId: "2401.00001", version: 2, method: "textrank", score: 0.25, languages: ["fr", "es"])
        try await collection.insert(summary)
        let found = try await collection.find(Summary.self, filter: ["articleId": "2401.00001"])
        #expect(found == [summary])
        #expect(try await client.ping() == ())
    }

    @Test("upsert by key inserts once then replaces, and a unique index rejects duplicates")
    func upsertAndUniqueIndex() async throws {
        try await collection.createIndex(keys: ["articleId": 1, "version": 1], unique: true)
        try await collection.createIndex(keys: ["articleId": 1, "version": 1], unique: true)
        let filter = Filter(articleId: "a", version: 1)
        var summary = Summary(articleId: "a", version: 1, method: "textrank", score: 1, languages: [])
        let first = try await collection.upsert(filter: filter, document: summary)
        #expect(first.upserted)
        summary.method = "llm"
        let second = try await collection.upsert(filter: filter, document: summary)
        #expect(second == MongoUpsertResult(matched: 1, modified: 1, upserted: false))
        #expect(try await collection.count(filter: filter) == 1)
        #expect(try await collection.findOne(Summary.self, filter: filter)?.method == "llm")
        let error = await #expect(throws: MongoError.self) { try await collection.insert(summary) }
        #expect(error?.isDuplicateKey == true)
    }

    @Test("find sorts, limits and filters with operators; count and delete agree")
    func queries() async throws {
        for version in 1...5 {
            try await collection.insert(Summary(articleId: "b", version: version, method: "m", score: Double(version) / 10, languages: []))
        }
        let latest = try await collection.find(Summary.self, filter: ["articleId": "b"], sort: ["version": -1], limit: 2)
        #expect(latest.map(\.version) == [5, 4])
        #expect(try await collection.count(filter: ["score": ["$gt": 0.25]]) == 3)
        #expect(try await collection.delete(filter: ["version": ["$lte": 2]]) == 2)
        #expect(try await collection.count() == 3)
    }

    @Test("an unreachable server is an error, not a hang")
    func unreachable() async throws {
        let dead = try MongoClient(uri: "mongodb://127.0.0.1:1/x?serverSelectionTimeoutMS=500")
        await #expect(throws: MongoError.self) { try await dead.ping() }
        #expect(throws: MongoError.self) { try MongoClient(uri: "not-a-uri") }
    }

    struct Filter: Codable, Sendable {
        var articleId: String
        var version: Int
    }
}
