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

    /// True when the server could not be reached (no suitable server, socket errors).
    public var isConnectionError: Bool {
        if case .command(_, _, let code, let message) = self {
            return code == 13053 || message.contains("No suitable servers") || message.contains("socket")
        }
        return false
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
