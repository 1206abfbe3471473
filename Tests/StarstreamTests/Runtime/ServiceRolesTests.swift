import Foundation
import HTTPClient
import Postgres
import Testing

@Suite("PostgreSQL roles: each service connects as itself and reaches its own schema only")
struct ServiceRolesTests {
    /// service → (role, schema), as deploy/docker/postgres/service-roles.sh creates them.
    static let roles: [String: (role: String, schema: String)] = [
        "fetcher": ("fetcher", "fetcher"), "cataloger": ("cataloger", "cataloger"), "preprocessor": ("preprocessor", "preprocessor"),
        "feature-extractor": ("feature_extractor", "features"), "trainer": ("trainer", "trainer"), "arxiv-poller": ("arxiv_poller", "arxiv"),
        "drift-monitor": ("drift_monitor", "drift"),
    ]

    @Test("""
        the compose init script makes one role per service owning its schema: every service migrates and becomes ready as \
        its own role; a role cannot read another's tables, create in public or make a schema; the script runs twice harmlessly
        """)
    func rolesAndSchemas() async throws {
        let database = try await TestDatabase.create()
        let url = try #require(URLComponents(string: database))
        let name = String(url.path.dropFirst())
        // A quote in every password: the script must quote it, and the URL must escape it.
        let passwords = Dictionary(uniqueKeysWithValues: Self.roles.values.map { ($0.role, "pw-\($0.role)-'q") })
        var environment = ProcessInfo.processInfo.environment
        environment["PGHOST"] = url.host
        environment["PGPORT"] = url.port.map(String.init)
        environment["POSTGRES_USER"] = url.user
        environment["POSTGRES_DB"] = name
        for (role, password) in passwords { environment["PG_PASSWORD_" + role.uppercased()] = password }
        for _ in 0..<2 {
            let script = Process()
            script.executableURL = URL(fileURLWithPath: "/bin/bash")
            script.arguments = [Fixtures.repository.appendingPathComponent("deploy/docker/postgres/service-roles.sh").path]
            script.environment = environment
            let errors = Pipe()
            script.standardError = errors
            script.standardOutput = FileHandle.nullDevice
            try script.run()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            script.waitUntilExit()
            #expect(script.terminationStatus == 0, "\(stderr)")
        }
        func roleURL(_ role: String) -> String {
            let escaped = passwords[role, default: ""].addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return "postgresql://\(role):\(escaped)@\(url.host ?? "127.0.0.1"):\(url.port ?? 5432)/\(name)"
        }
        let http = HTTPClient()
        var processes: [ServiceProcess] = []
        for (service, (role, _)) in Self.roles.sorted(by: { $0.key < $1.key }) {
            let process = try ServiceProcess(service, environment: [
                "HTTP_PORT": "0", "DATABASE_URL": roleURL(role), "DATA_DIR": try makeTemporaryDirectory(service),
                "ARXIV_BASE_URL": "file://" + (try makeTemporaryDirectory("no-pages")),
            ])
            processes.append(process)
            let port = try await process.httpPort()
            do {
                try await eventually("\(service) ready as role \(role)") {
                    (try? await http.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz")))?.status == 200
                }
            } catch {
                Issue.record("\(service) was not ready as \(role): \(process.lines.suffix(5).joined(separator: "\n"))")
                throw error
            }
        }
        await expectCleanShutdown(processes)

        // Each schema now has its tables, owned by its role; the cataloger's role reaches none of the others'.
        let cataloger = PostgresPool(url: roleURL("cataloger"), size: 1)
        #expect(try await cataloger.query("SELECT count(*) AS n FROM cataloger.catalog").first?.decode("n", as: Int.self) == 0)
        for (_, (_, schema)) in Self.roles where schema != "cataloger" {
            await #expect(throws: PostgresError.self, "\(schema) is not the cataloger's") {
                try await cataloger.query("SELECT count(*) FROM \(schema).schema_migrations")
            }
        }
        await #expect(throws: PostgresError.self) { try await cataloger.query("CREATE TABLE public.stray (x int)") }
        await #expect(throws: PostgresError.self) { try await cataloger.query("CREATE SCHEMA stray") }
        let owners = try await PostgresPool(url: database, size: 1).query(
            "SELECT nspname AS schema, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname IN ("
                + Self.roles.values.map { "'\($0.schema)'" }.joined(separator: ", ") + ")")
        let owned = Dictionary(uniqueKeysWithValues: try owners.map { (try $0.decode("schema", as: String.self), try $0.decode("owner", as: String.self)) })
        #expect(owned == Dictionary(uniqueKeysWithValues: Self.roles.values.map { ($0.schema, $0.role) }))
    }
}
