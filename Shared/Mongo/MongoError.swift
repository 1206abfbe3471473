/// Everything that can go wrong talking to MongoDB, with libmongoc's own message.
public enum MongoError: Error, Sendable, CustomStringConvertible {
    case invalidURI(String, message: String)
    /// A server command failed; `code` is MongoDB's error code (11000 for a duplicate key).
    case command(operation: String, collection: String, code: Int, message: String)
    /// A document could not be converted between Swift and BSON.
    case conversion(collection: String, message: String)

    /// True for a unique-index violation.
    public var isDuplicateKey: Bool {
        if case .command(_, _, let code, _) = self { return code == 11000 }
        return false
    }

    /// True when the server could not be reached or cannot serve now: no suitable server
    /// (13053), socket and stream errors, and the server's own shutdown, failover and network
    /// codes (6 HostUnreachable, 7 HostNotFound, 89 NetworkTimeout, 91 ShutdownInProgress,
    /// 189 PrimarySteppedDown, 10107 NotWritablePrimary, 11600 InterruptedAtShutdown,
    /// 11602 InterruptedDueToReplStateChange, 13435 NotPrimaryNoSecondaryOk). A write error
    /// (a duplicate key, a validation failure) never is, whatever its message echoes.
    public var isConnectionError: Bool {
        guard case .command(_, _, let code, let message) = self, code != 11000 else { return false }
        if [6, 7, 89, 91, 189, 10107, 11600, 11602, 13053, 13435].contains(code) { return true }
        return message.contains("No suitable servers") || message.contains("socket") || message.contains("Failed to connect")
    }

    public var description: String {
        switch self {
        case .invalidURI(let uri, let message): "invalid MongoDB URI '\(uri)': \(message)"
        case .command(let operation, let collection, let code, let message):
            "MongoDB \(operation) on \(collection) failed (code \(code)): \(message)"
        case .conversion(let collection, let message): "cannot convert a \(collection) document: \(message)"
        }
    }
}
