/// Rows of numeric features stored column by column (split search reads one column at a time).
public struct FeatureMatrix: Sendable {
    public let rows: Int
    public let columns: Int
    /// `values[column * rows + row]`.
    public private(set) var values: [Double]

    public init(rows: [[Double]], columns: Int) {
        self.rows = rows.count
        self.columns = columns
        var values = [Double](repeating: 0, count: rows.count * columns)
        for (r, row) in rows.enumerated() {
            precondition(row.count == columns, "row \(r) has \(row.count) values, expected \(columns)")
            for c in 0..<columns { values[c * rows.count + r] = row[c] }
        }
        self.values = values
    }

    @inline(__always) public subscript(row: Int, column: Int) -> Double {
        get { values[column * rows + row] }
        set { values[column * rows + row] = newValue }
    }

    public func row(_ index: Int) -> [Double] {
        (0..<columns).map { self[index, $0] }
    }

    /// The rows at `indices`, in that order.
    public func subset(_ indices: [Int]) -> FeatureMatrix {
        FeatureMatrix(rows: indices.map(row), columns: columns)
    }
}
