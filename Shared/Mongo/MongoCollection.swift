internal import CMongoc
import Foundation

/// Sort order or index keys: field names with 1 (ascending) or -1 (descending), in order.
public typealias MongoKeys = KeyValuePairs<String, Int>

/// What an upsert did.
public struct MongoUpsertResult: Sendable, Equatable {
    public var matched: Int
    public var modified: Int
    public var upserted: Bool

    public init(matched: Int, modified: Int, upserted: Bool) {
        self.matched = matched
        self.modified = modified
        self.upserted = upserted
    }
}

/// One collection of the client's database. Documents are `Codable` values; filters are any
/// `Encodable` value whose JSON form is a MongoDB query (`["year": ["$gt": 2000]]`).
public struct MongoCollection: Sendable {
    public let client: MongoClient
    public let name: String

    /// Inserts one document.
    public func insert(_ document: some Encodable & Sendable) async throws {
        let name = name
        try await withCollection { collection throws(MongoError) in
            let bson = try BSONDocument(document, collection: name)
            var error = bson_error_t()
            guard mongoc_collection_insert_one(collection, bson.handle, nil, nil, &error) else {
                throw MongoError.command(operation: "insert", collection: name, code: Int(error.code), message: error.text)
            }
        }
    }

    /// Replaces the document matching `filter` with `document`, inserting it when none matches.
    @discardableResult
    public func upsert(filter: some Encodable & Sendable, document: some Encodable & Sendable) async throws -> MongoUpsertResult {
        let name = name
        return try await withCollection { collection throws(MongoError) in
            let selector = try BSONDocument(filter, collection: name)
            let replacement = try BSONDocument(document, collection: name)
            let options = try BSONDocument(json: #"{"upsert": true}"#, collection: name)
            let reply = BSONDocument()
            var error = bson_error_t()
            guard mongoc_collection_replace_one(collection, selector.handle, replacement.handle, options.handle, reply.handle, &error) else {
                throw MongoError.command(operation: "upsert", collection: name, code: Int(error.code), message: error.text)
            }
            let summary = try BSONDocument.decode(WriteReply.self, from: reply.handle, collection: name)
            return MongoUpsertResult(matched: summary.matchedCount ?? 0, modified: summary.modifiedCount ?? 0, upserted: summary.upsertedId != nil)
        }
    }

    /// Documents matching `filter`, in `sort` order, at most `limit` of them; `projection`
    /// (`["field.part": 0]`) leaves fields out of what the server sends.
    public func find<T: Decodable & Sendable>(
        _ type: T.Type, filter: some Encodable & Sendable = [String: String](), sort: MongoKeys = [:], limit: Int? = nil,
        projection: MongoKeys = [:]
    ) async throws -> [T] {
        let name = name
        let optionsJSON = Self.findOptions(sort: sort, limit: limit, projection: projection)
        return try await withCollection { collection throws(MongoError) in
            let query = try BSONDocument(filter, collection: name)
            let options = try BSONDocument(json: optionsJSON, collection: name)
            guard let cursor = mongoc_collection_find_with_opts(collection, query.handle, options.handle, nil) else {
                throw MongoError.command(operation: "find", collection: name, code: 0, message: "no cursor")
            }
            defer { mongoc_cursor_destroy(cursor) }
            var results: [T] = []
            var document: OpaquePointer?
            while mongoc_cursor_next(cursor, &document), let document {
                results.append(try BSONDocument.decode(T.self, from: document, collection: name))
            }
            var error = bson_error_t()
            if mongoc_cursor_error(cursor, &error) {
                throw MongoError.command(operation: "find", collection: name, code: Int(error.code), message: error.text)
            }
            return results
        }
    }

    /// The first document matching `filter` in `sort` order.
    public func findOne<T: Decodable & Sendable>(
        _ type: T.Type, filter: some Encodable & Sendable = [String: String](), sort: MongoKeys = [:]
    ) async throws -> T? {
        try await find(type, filter: filter, sort: sort, limit: 1).first
    }

    /// How many documents match `filter`.
    public func count(filter: some Encodable & Sendable = [String: String]()) async throws -> Int {
        let name = name
        return try await withCollection { collection throws(MongoError) in
            let query = try BSONDocument(filter, collection: name)
            var error = bson_error_t()
            let count = mongoc_collection_count_documents(collection, query.handle, nil, nil, nil, &error)
            guard count >= 0 else {
                throw MongoError.command(operation: "count", collection: name, code: Int(error.code), message: error.text)
            }
            return Int(count)
        }
    }

    /// Deletes the documents matching `filter`; returns how many.
    @discardableResult
    public func delete(filter: some Encodable & Sendable) async throws -> Int {
        let name = name
        return try await withCollection { collection throws(MongoError) in
            let query = try BSONDocument(filter, collection: name)
            let reply = BSONDocument()
            var error = bson_error_t()
            guard mongoc_collection_delete_many(collection, query.handle, nil, reply.handle, &error) else {
                throw MongoError.command(operation: "delete", collection: name, code: Int(error.code), message: error.text)
            }
            return try BSONDocument.decode(WriteReply.self, from: reply.handle, collection: name).deletedCount ?? 0
        }
    }

    /// Creates an index if it does not exist yet (the same keys and options again are a no-op).
    public func createIndex(keys: MongoKeys, unique: Bool = false, name indexName: String? = nil) async throws {
        let name = name
        let keysJSON = Self.keysJSON(keys)
        let indexName = indexName ?? keys.map { "\($0.key)_\($0.value)" }.joined(separator: "_")
        let database = client.databaseName
        try await client.withClient { client throws(MongoError) in
            let command = try BSONDocument(json: """
                {"createIndexes": \(Self.quoted(name)), "indexes": [{"key": \(keysJSON), "name": \(Self.quoted(indexName)), "unique": \(unique)}]}
                """, collection: name)
            let reply = BSONDocument()
            var error = bson_error_t()
            guard mongoc_client_command_simple(client, database, command.handle, nil, reply.handle, &error) else {
                throw MongoError.command(operation: "createIndexes", collection: name, code: Int(error.code), message: error.text)
            }
        }
    }

    private func withCollection<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws(MongoError) -> T) async throws -> T {
        let database = client.databaseName
        let name = name
        return try await client.withClient { client throws(MongoError) in
            let collection = mongoc_client_get_collection(client, database, name)!
            defer { mongoc_collection_destroy(collection) }
            return try body(collection)
        }
    }

    static func findOptions(sort: MongoKeys, limit: Int?, projection: MongoKeys = [:]) -> String {
        var parts: [String] = []
        if !sort.isEmpty { parts.append(#""sort": \#(keysJSON(sort))"#) }
        if let limit { parts.append(#""limit": \#(limit)"#) }
        if !projection.isEmpty { parts.append(#""projection": \#(keysJSON(projection))"#) }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    static func keysJSON(_ keys: MongoKeys) -> String {
        "{" + keys.map { "\(quoted($0.key)): \($0.value)" }.joined(separator: ", ") + "}"
    }

    static func quoted(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where scalar.value < 0x20: escaped += String(format: "\\u%04x", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}

/// The counts libmongoc puts in a write reply.
private struct WriteReply: Decodable {
    var matchedCount: Int?
    var modifiedCount: Int?
    var deletedCount: Int?
    var upsertedId: UpsertedId?

    struct UpsertedId: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
