import BlockingIO
internal import CMongoc
import Foundation

/// libmongoc must be initialised once per process before any other call (this also quiets its logs).
private let mongocInitialised: Void = starstream_mongoc_init()

/// A pool of connections to one MongoDB deployment.
///
/// Every operation borrows a client from libmongoc's thread-safe pool on a thread of a
/// `BlockingPool`, so the blocking driver never runs on Swift's cooperative threads.
public final class MongoClient: Sendable {
    /// The database named in the URI's path (`mongodb://host/starstream`), `starstream` when absent.
    public let databaseName: String
    let pool: ClientPool
    let threads: BlockingPool

    public init(uri: String, maxPoolSize: Int = 8, appName: String = "starstream") throws(MongoError) {
        _ = mongocInitialised
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(uri, &error) else {
            throw .invalidURI(uri, message: error.text)
        }
        defer { mongoc_uri_destroy(parsed) }
        // Fail fast when the server is down, rather than libmongoc's default 30 s.
        if !uri.lowercased().contains("serverselectiontimeoutms") {
            _ = mongoc_uri_set_option_as_int32(parsed, MONGOC_URI_SERVERSELECTIONTIMEOUTMS, 3000)
        }
        _ = mongoc_uri_set_option_as_int32(parsed, MONGOC_URI_MAXPOOLSIZE, Int32(maxPoolSize))
        _ = mongoc_uri_set_appname(parsed, appName)
        databaseName = mongoc_uri_get_database(parsed).map { String(cString: $0) } ?? "starstream"
        guard let handle = mongoc_client_pool_new(parsed) else {
            throw .invalidURI(uri, message: "libmongoc refused the URI")
        }
        mongoc_client_pool_set_error_api(handle, 2)
        pool = ClientPool(handle: handle)
        threads = BlockingPool(threads: maxPoolSize)
    }

    public func collection(_ name: String) -> MongoCollection {
        MongoCollection(client: self, name: name)
    }

    /// Runs `ping` against the server, for readiness probes.
    public func ping() async throws {
        let database = databaseName
        try await withClient { client throws(MongoError) in
            let command = try BSONDocument(json: #"{"ping": 1}"#, collection: database)
            let reply = BSONDocument()
            var error = bson_error_t()
            guard mongoc_client_command_simple(client, database, command.handle, nil, reply.handle, &error) else {
                throw MongoError.command(operation: "ping", collection: database, code: Int(error.code), message: error.text)
            }
        }
    }

    /// Runs `body` with a client popped from the pool, on a blocking thread.
    func withClient<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws(MongoError) -> T) async throws -> T {
        let pool = pool
        return try await threads.run {
            let client = pool.pop()
            defer { pool.push(client) }
            return try body(client)
        }
    }
}

/// Owns the `mongoc_client_pool_t`.
///
/// `@unchecked Sendable`: libmongoc documents the client pool as thread-safe, and the handle
/// is only used through `pop`/`push`, each client then being used by one thread at a time.
final class ClientPool: @unchecked Sendable {
    private let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    func pop() -> OpaquePointer { mongoc_client_pool_pop(handle) }
    func push(_ client: OpaquePointer) { mongoc_client_pool_push(handle, client) }

    deinit {
        mongoc_client_pool_destroy(handle)
    }
}
