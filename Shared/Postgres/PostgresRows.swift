/// The rows a statement returned, in text format, with typed access by column name.
public struct PostgresRows: Sendable, Sequence {
    public let columns: [String]
    let values: [[String?]]
    /// Rows inserted, updated or deleted (`PQcmdTuples`), for statements that report it.
    public let affectedRows: Int

    init(columns: [String], values: [[String?]], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var first: PostgresRow? { values.first.map { PostgresRow(columns: columns, values: $0) } }

    public func makeIterator() -> some IteratorProtocol<PostgresRow> {
        values.lazy.map { PostgresRow(columns: columns, values: $0) }.makeIterator()
    }
}

/// One row. Columns are looked up by name.
public struct PostgresRow: Sendable {
    let columns: [String]
    let values: [String?]

    /// The column's raw text, nil for NULL or an unknown column.
    public subscript(column: String) -> String? {
        columns.firstIndex(of: column).flatMap { values[$0] }
    }

    /// The column decoded as `T`; throws when it is NULL, missing or not a `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard let text = self[column], let value = T(postgresText: text) else {
            throw .decoding(column: column, value: self[column], expected: String(describing: T.self))
        }
        return value
    }

    /// The column decoded as `T`, nil when it is NULL; throws when it holds something else.
    public func decodeIfPresent<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T? {
        guard let text = self[column] else { return nil }
        guard let value = T(postgresText: text) else {
            throw .decoding(column: column, value: text, expected: String(describing: T.self))
        }
        return value
    }
}
