import BlockingIO
internal import CLibpq
import Foundation

/// One connection to PostgreSQL through libpq. Statements are always parameterised
/// (`PQexecParams`); values never become part of the SQL text.
///
/// libpq is synchronous, so the actor runs on a thread of its own. A broken connection is
/// dropped and reopened by the next statement, except inside a transaction, whose remaining
/// statements must not run on another connection; a connection the server closed while it was
/// idle (a restart) is noticed before the next statement and replaced, so that statement runs.
public actor PostgresConnection {
    public nonisolated let url: String
    private let executor: DedicatedThreadExecutor
    // `nonisolated(unsafe)` only so that `deinit` may close it: every other use is on the
    // actor's own thread, and `deinit` runs when no task can reach the actor any more.
    nonisolated(unsafe) private var connection: OpaquePointer?
    /// Between a successful BEGIN and its COMMIT or ROLLBACK.
    private var inTransaction = false

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// `url` is anything libpq accepts: `postgresql://user@host:port/db?…` or `host=… dbname=…`.
    public init(url: String) {
        self.url = url
        executor = DedicatedThreadExecutor(name: "postgres")
    }

    public static func connect(url: String) async throws(PostgresError) -> PostgresConnection {
        let connection = PostgresConnection(url: url)
        try await connection.connect()
        return connection
    }

    /// Nobody else holds the actor now, so closing here is exclusive. (Not `isolated deinit`:
    /// Swift 6.3.1 hits a "circular reference" when optimising modules that use the actor.)
    deinit {
        if let connection { PQfinish(connection) }
        executor.shutdown()
    }

    public func connect() throws(PostgresError) {
        _ = try opened()
    }

    public func disconnect() {
        if let connection { PQfinish(connection) }
        connection = nil
    }

    /// Runs one statement with `$1…$n` bound to `parameters` and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws(PostgresError) -> PostgresRows {
        let connection = try opened()
        let values = parameters.map(\.postgresValue)
        let result: OpaquePointer? = withCStrings(values) { pointers in
            PQexecParams(connection, sql, Int32(values.count), nil, pointers, nil, nil, 0)
        }
        defer { if let result { PQclear(result) } }
        guard let result else { throw lost(sql) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
            return Self.rows(of: result)
        default:
            if PQstatus(connection) == CONNECTION_BAD { throw lost(sql) }
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "?????"
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            throw .statement(statement: sql.statementSummary, sqlState: state, message: message)
        }
    }

    @discardableResult
    public func query(_ sql: String, _ parameters: any PostgresEncodable...) throws(PostgresError) -> PostgresRows {
        try query(sql, parameters)
    }

    /// Runs `body` between BEGIN and COMMIT on this connection; any error rolls back and is rethrown.
    public func transaction<T: Sendable>(_ body: (isolated PostgresConnection) throws -> T) throws -> T {
        do {
            try query("BEGIN")
        } catch where error.isConnectionError {
            // Nothing of the transaction ran: safe to begin it again on a fresh connection.
            try query("BEGIN")
        }
        inTransaction = true
        do {
            let value = try body(self)
            try query("COMMIT")
            inTransaction = false
            return value
        } catch {
            // Fails quietly when the connection is gone: the server rolled back already.
            _ = try? query("ROLLBACK")
            inTransaction = false
            throw error
        }
    }

    // MARK: - libpq

    private func opened() throws(PostgresError) -> OpaquePointer {
        if inTransaction {
            guard let connection, PQstatus(connection) == CONNECTION_OK else {
                throw .connectionLost(statement: "(inside a transaction)", message: "the transaction's connection is gone")
            }
            return connection
        }
        if let connection, Self.stillOpen(connection) { return connection }
        disconnect()
        guard let fresh = PQconnectdb(url) else {
            throw .connectionFailed(endpoint: Self.redacted(url), message: "libpq could not allocate a connection")
        }
        guard PQstatus(fresh) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(fresh)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(fresh)
            throw .connectionFailed(endpoint: Self.redacted(url), message: message)
        }
        starstream_pq_silence_notices(fresh)
        connection = fresh
        // Timestamps come back in UTC so that `Date(postgresText:)` reads them the same everywhere.
        _ = try? query("SET TIME ZONE 'UTC'")
        return fresh
    }

    /// Reads what the server sent while the connection was idle (nothing, usually): that is
    /// how libpq learns a restart closed it. A server going down first sends its reason
    /// (57P01), which parsing hands to the notice processor, and then closes; the second read
    /// meets the close. A connection found closed is replaced before the statement is sent.
    private static func stillOpen(_ connection: OpaquePointer) -> Bool {
        for _ in 0..<2 {
            guard PQstatus(connection) == CONNECTION_OK, PQconsumeInput(connection) == 1 else { return false }
            _ = PQisBusy(connection)
        }
        return PQstatus(connection) == CONNECTION_OK
    }

    private func lost(_ sql: String) -> PostgresError {
        let message = connection.map { String(cString: PQerrorMessage($0)) } ?? "no connection"
        disconnect()
        return .connectionLost(statement: sql.statementSummary, message: message.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private func withCStrings<R>(_ values: [PostgresValue], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = values.map { value in
            if case .text(let text) = value { return strdup(text) }
            return nil
        }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { $0.map { UnsafePointer($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    private static func rows(of result: OpaquePointer) -> PostgresRows {
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
        var values: [[String?]] = []
        values.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            values.append((0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            })
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, values: values, affectedRows: affected)
    }

    /// The URL without its password, for errors and logs.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
