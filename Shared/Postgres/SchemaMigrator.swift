/// One versioned change to a service's schema. Versions are applied in order, once.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    /// Statements run in order, in one transaction with the bookkeeping row.
    public var statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// Brings one service's schema up to date at start-up.
///
/// Each service owns a schema named after it, with a `schema_migrations` table listing what
/// has been applied. Replicas starting together serialise on an advisory lock, so each
/// migration runs exactly once however many start.
public struct SchemaMigrator: Sendable {
    public let schema: String
    public let migrations: [Migration]

    public init(schema: String, migrations: [Migration]) {
        precondition(schema.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } && !schema.isEmpty,
                     "schema names are lowercase identifiers")
        precondition(Set(migrations.map(\.version)).count == migrations.count, "migration versions must be unique")
        self.schema = schema
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies the migrations not yet applied; returns their versions.
    @discardableResult
    public func migrate(_ pool: PostgresPool) async throws -> [Int] {
        let schema = schema
        let migrations = migrations
        return try await pool.transaction { connection in
            try connection.query("SELECT pg_advisory_xact_lock(hashtext($1))", "starstream.migrate." + schema)
            // Created only when missing: PostgreSQL checks the right to create schemas in the
            // database before it looks whether this one exists, and a service's own role
            // (deploy/docker/postgres/service-roles.sh) owns its schema without that right.
            if try connection.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", schema).isEmpty {
                try connection.query("CREATE SCHEMA \(schema)")
            }
            try connection.query("""
                CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let applied = Set(try connection.query("SELECT version FROM \(schema).schema_migrations")
                .map { try $0.decode("version", as: Int.self) })
            var newlyApplied: [Int] = []
            for migration in migrations where !applied.contains(migration.version) {
                do {
                    for statement in migration.statements { try connection.query(statement) }
                } catch {
                    throw PostgresError.migration(schema: schema, version: migration.version, underlying: "\(error)")
                }
                try connection.query(
                    "INSERT INTO \(schema).schema_migrations (version, name) VALUES ($1, $2)", migration.version, migration.name)
                newlyApplied.append(migration.version)
            }
            return newlyApplied
        }
    }
}
