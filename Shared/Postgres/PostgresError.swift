/// Everything that can go wrong talking to PostgreSQL, with the context needed to act on it.
public enum PostgresError: Error, Sendable, CustomStringConvertible {
    /// The server could not be reached or refused us; libpq's message says why.
    case connectionFailed(endpoint: String, message: String)
    /// The connection broke during a statement; the statement may or may not have run.
    case connectionLost(statement: String, message: String)
    /// The server rejected a statement. `sqlState` is the five-character SQLSTATE (`23505`, `25P02`).
    case statement(statement: String, sqlState: String, message: String)
    /// A column's value could not be read as the type asked for.
    case decoding(column: String, value: String?, expected: String)
    /// A schema migration failed; nothing of it was applied.
    case migration(schema: String, version: Int, underlying: String)

    /// True when reconnecting and retrying may succeed.
    public var isConnectionError: Bool {
        switch self {
        case .connectionFailed, .connectionLost: true
        default: false
        }
    }

    /// The SQLSTATE of a rejected statement.
    public var sqlState: String? {
        if case .statement(_, let state, _) = self { return state }
        return nil
    }

    public var description: String {
        switch self {
        case .connectionFailed(let endpoint, let message): "cannot connect to PostgreSQL at \(endpoint): \(message)"
        case .connectionLost(let statement, let message): "PostgreSQL connection lost during '\(statement)': \(message)"
        case .statement(let statement, let state, let message): "PostgreSQL rejected '\(statement)' [\(state)]: \(message)"
        case .decoding(let column, let value, let expected):
            "cannot read column \(column) value \(value.map { "'\($0)'" } ?? "NULL") as \(expected)"
        case .migration(let schema, let version, let underlying): "migration \(schema) v\(version) failed: \(underlying)"
        }
    }
}

extension String {
    /// The statement shortened for error messages and logs.
    var statementSummary: String {
        let flat = split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return flat.count > 120 ? String(flat.prefix(117)) + "…" : flat
    }
}
