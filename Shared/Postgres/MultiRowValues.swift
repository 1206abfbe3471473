/// The `VALUES (…), (…)` list of a multi-row `INSERT`, with its parameters, in chunks that keep
/// under PostgreSQL's 65,535 parameters per statement: how a batch of rows is written in one
/// round trip instead of one each.
///
///     for chunk in MultiRowValues.chunks(rows, casts: [5: "jsonb"]) {
///         try await pool.query("INSERT INTO t (a, b, c, d, e, f) VALUES \(chunk.values) ON CONFLICT …", chunk.parameters)
///     }
public struct MultiRowValues: Sendable {
    /// `($1, $2), ($3, $4)`.
    public var values: String
    public var parameters: [any PostgresEncodable]

    /// `rows` all have the same number of columns; `casts` maps a column's index to the type
    /// its placeholder is cast to (`$6::jsonb`).
    public static func chunks(_ rows: [[any PostgresEncodable]], casts: [Int: String] = [:]) -> [MultiRowValues] {
        guard let width = rows.first?.count, width > 0 else { return [] }
        let perChunk = max(1, 65_535 / width)
        return stride(from: 0, to: rows.count, by: perChunk).map { start in
            var values: [String] = []
            var parameters: [any PostgresEncodable] = []
            for row in rows[start..<min(rows.count, start + perChunk)] {
                precondition(row.count == width, "every row of a multi-row insert has the same columns")
                let first = parameters.count
                values.append("(" + (0..<width).map { column in "$\(first + column + 1)" + (casts[column].map { "::" + $0 } ?? "") }.joined(separator: ", ") + ")")
                parameters += row
            }
            return MultiRowValues(values: values.joined(separator: ", "), parameters: parameters)
        }
    }
}
