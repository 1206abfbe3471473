import Foundation
import Postgres

/// A PostgreSQL database of the test's own on the test server, so that a service under test
/// migrates and fills its schema without meeting other tests' rows.
enum TestDatabase {
    static func create() async throws -> String {
        let name = uniqueName("test")
        let admin = PostgresPool(url: TestServers.databaseURL, size: 1)
        try await admin.query("CREATE DATABASE \(name)")
        guard let slash = TestServers.databaseURL.lastIndex(of: "/") else { return TestServers.databaseURL }
        return String(TestServers.databaseURL[..<slash]) + "/" + name
    }
}
