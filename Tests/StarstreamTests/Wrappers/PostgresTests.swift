import Foundation
import Postgres
import Testing

@Suite("PostgreSQL wrapper against a real server")
struct PostgresTests {
    let pool = PostgresPool(url: TestServers.databaseURL, size: 3)

    @Test("a multi-row insert of 40,000 rows of three columns goes in chunks under 65,535 parameters, casts where asked, every row once")
    func multiRowValues() async throws {
        let rows: [[any PostgresEncodable]] = (0..<40_000).map { [$0, "name \($0)", "{\"n\": \($0)}"] }
        let chunks = MultiRowValues.chunks(rows, casts: [2: "jsonb"])
        #expect(chunks.count == 2 && chunks.allSatisfy { $0.parameters.count <= 65_535 })
        #expect(chunks[0].values.hasPrefix("($1, $2, $3::jsonb), ($4, $5, $6::jsonb)"))
        try await pool.withConnection { connection in
            try await connection.query("CREATE TEMPORARY TABLE multi_rows (id bigint PRIMARY KEY, name text, doc jsonb)")
            for chunk in chunks {
                try await connection.query("INSERT INTO multi_rows (id, name, doc) VALUES \(chunk.values)", chunk.parameters)
            }
            let counted = try await connection.query("SELECT count(*) AS n, sum((doc->>'n')::bigint) AS total FROM multi_rows").first
            #expect(try counted?.decode("n", as: Int.self) == 40_000)
            #expect(try counted?.decode("total", as: Int.self) == 40_000 * 39_999 / 2)
        }
        #expect(MultiRowValues.chunks([]).isEmpty)
    }

    @Test("parameters are bound, never spliced: quotes and injection attempts are data")
    func parameters() async throws {
        let hostile = "x'); DROP TABLE pg_class; --"
        let rows = try await pool.query("SELECT $1::text AS value, length($1) AS n", hostile)
        #expect(try rows.first?.decode("value", as: String.self) == hostile)
        #expect(try rows.first?.decode("n", as: Int.self) == hostile.count)
    }

    @Test("typed values round-trip: integers, doubles, booleans, dates, bytes, JSON and NULL")
    func roundTrip() async throws {
        let table = uniqueName("public.roundtrip")
        try await pool.query("""
            CREATE TABLE \(table) (i bigint, d double precision, b boolean, t timestamptz, bytes bytea, doc jsonb, missing text)
            """)
        struct Doc: Codable, Sendable, Equatable { var name: String; var tags: [String] }
        let now = Date(timeIntervalSince1970: 1_764_000_000.125)
        let bytes: [UInt8] = [0, 1, 127, 128, 255]
        let noText: String? = nil
        try await pool.query(
            "INSERT INTO \(table) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [Int64.max, 3.5e-7, true, now, bytes, PostgresJSON(Doc(name: "α", tags: ["a", "b"])), noText])
        let row = try #require(try await pool.query("SELECT * FROM \(table)").first)
        #expect(try row.decode("i", as: Int64.self) == .max)
        #expect(try row.decode("d", as: Double.self) == 3.5e-7)
        #expect(try row.decode("b", as: Bool.self) == true)
        #expect(try row.decode("t", as: Date.self) == now)
        #expect(try row.decode("bytes", as: [UInt8].self) == bytes)
        #expect(try row.decode("doc", as: PostgresJSON<Doc>.self).value == Doc(name: "α", tags: ["a", "b"]))
        #expect(try row.decodeIfPresent("missing", as: String.self) == nil)
        #expect(throws: PostgresError.self) { try row.decode("missing", as: String.self) }
        #expect(throws: PostgresError.self) { try row.decode("b", as: Int.self) }
    }

    @Test("a failed statement is an error with SQLSTATE and the server's message")
    func statementErrors() async throws {
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT * FROM no_such_table") }
        #expect(error?.sqlState == "42P01")
        #expect("\(error!)".contains("no_such_table"))
    }

    @Test("a transaction commits together or rolls back together")
    func transactions() async throws {
        let table = uniqueName("public.tx")
        try await pool.query("CREATE TABLE \(table) (id int PRIMARY KEY)")
        try await pool.transaction { connection in
            try connection.query("INSERT INTO \(table) VALUES (1)")
            try connection.query("INSERT INTO \(table) VALUES (2)")
        }
        await #expect(throws: PostgresError.self) {
            try await pool.transaction { connection in
                try connection.query("INSERT INTO \(table) VALUES (3)")
                try connection.query("INSERT INTO \(table) VALUES (1)")  // duplicate key: all of it rolls back
            }
        }
        let ids = try await pool.query("SELECT id FROM \(table) ORDER BY id").map { try $0.decode("id", as: Int.self) }
        #expect(ids == [1, 2])
        // The connection that saw the failed transaction is usable again.
        #expect(try await pool.query("SELECT count(*) AS n FROM \(table)").first?.decode("n", as: Int.self) == 2)
    }

    @Test("migrations apply once, in order, even when replicas start together")
    func migrations() async throws {
        let schema = uniqueName("svc")
        let migrator = SchemaMigrator(schema: schema, migrations: [
            Migration(version: 2, name: "add column", statements: ["ALTER TABLE \(schema).items ADD COLUMN note text"]),
            Migration(version: 1, name: "create items", statements: ["CREATE TABLE \(schema).items (id int PRIMARY KEY)"]),
        ])
        let results = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<3 { group.addTask { try await migrator.migrate(PostgresPool(url: TestServers.databaseURL, size: 1)) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { !$0.isEmpty } == [[1, 2]])
        #expect(try await migrator.migrate(pool) == [])
        try await pool.query("INSERT INTO \(schema).items (id, note) VALUES (1, 'ok')")
    }

    @Test("a failing migration leaves nothing behind and names the version")
    func failingMigration() async throws {
        let schema = uniqueName("svc")
        let migrator = SchemaMigrator(schema: schema, migrations: [
            Migration(version: 1, name: "good", statements: ["CREATE TABLE \(schema).a (id int)"]),
            Migration(version: 2, name: "bad", statements: ["CREATE TABLE \(schema).b (id nonsense_type)"]),
        ])
        let error = await #expect(throws: PostgresError.self) { try await migrator.migrate(pool) }
        #expect("\(error!)".contains("v2"))
        let tables = try await pool.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1", schema)
        #expect(try tables.first?.decode("n", as: Int.self) == 0)
    }

    @Test("a dead server is a connection error naming it, not a crash")
    func deadServer() async throws {
        let error = await #expect(throws: PostgresError.self) {
            try await PostgresConnection.connect(url: "postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
        }
        #expect(error?.isConnectionError == true)
        #expect("\(error!)".contains("127.0.0.1"))
        #expect(!"\(error!)".contains("secret"))
    }

    @Test("a connection the server terminated while it was idle is reopened before the next statement, which runs")
    func reconnects() async throws {
        let connection = try await PostgresConnection.connect(url: TestServers.databaseURL)
        let pid = try await connection.query("SELECT pg_backend_pid() AS pid").first!.decode("pid", as: Int.self)
        try await pool.query("SELECT pg_terminate_backend($1)", pid)
        try await Task.sleep(for: .milliseconds(200))
        let fresh = try await connection.query("SELECT pg_backend_pid() AS pid").first?.decode("pid", as: Int.self)
        #expect(fresh != nil && fresh != pid)
    }

    @Test("a pooled connection the server closed by restarting is replaced before its next statement: the statement and a transaction run")
    func survivesServerRestart() async throws {
        let server = try PrivatePostgres()
        let pool = PostgresPool(url: server.url, size: 1)
        try await pool.query("CREATE TABLE restarted (n int)")
        server.stop()
        try server.start()
        #expect(try await pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
        server.stop()
        try server.start()
        try await pool.transaction { connection in
            try connection.query("INSERT INTO restarted VALUES (1)")
        }
        #expect(try await pool.query("SELECT count(*) AS n FROM restarted").first?.decode("n", as: Int.self) == 1)
    }

    @Test("a connection lost inside a transaction fails the transaction: its remaining statements never run on a fresh connection")
    func lostInsideTransaction() async throws {
        let table = uniqueName("public.halves")
        try await pool.query("CREATE TABLE \(table) (n int)")
        try await pool.transaction { connection in
            try connection.query("INSERT INTO \(table) VALUES (1)")
        }
        await #expect(throws: PostgresError.self) {
            try await pool.transaction { connection in
                try connection.query("INSERT INTO \(table) VALUES (2)")
                // The server ends this session mid-transaction, as a crash or restart would.
                _ = try? connection.query("SELECT pg_terminate_backend(pg_backend_pid())")
                try connection.query("INSERT INTO \(table) VALUES (3)")
            }
        }
        let rows = try await pool.query("SELECT n FROM \(table) ORDER BY n").map { try $0.decode("n", as: Int.self) }
        #expect(rows == [1])
    }
}
