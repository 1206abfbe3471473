import Foundation
import Testing

/// The servers `deploy/test.sh` started for this run, found through the environment.
enum TestServers {
    static var redisURL: String { required("REDIS_URL") }
    static var databaseURL: String { required("DATABASE_URL") }
    static var mongoURI: String { required("MONGO_URI") }

    private static func required(_ name: String) -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            fatalError("\(name) is not set: run the tests with deploy/test.sh, which starts the servers")
        }
        return value
    }
}

/// A name no other test uses, so that tests running in parallel share servers safely.
func uniqueName(_ prefix: String) -> String {
    "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
}

/// The test MongoDB server with a database of its own.
func uniqueMongoURI() -> String {
    let uri = TestServers.mongoURI
    let scheme = "mongodb://"
    let rest = uri.dropFirst(scheme.count)
    let host = rest.prefix { $0 != "/" && $0 != "?" }
    let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
    return scheme + host + "/" + uniqueName("starstream") + query
}
