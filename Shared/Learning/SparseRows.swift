/// Rows of a sparse matrix in one block (compressed sparse rows): row `i`'s non-zeros are
/// `indices[offsets[i]..<offsets[i + 1]]` and the same range of `values`.
///
/// Why it exists: a solver that walks `[SparseVector]` copies a row's two array references
/// per visit, and each copy is a retain and a release. When two threads fit two classes over
/// the same rows, those reference counts are the same cache lines written from both cores;
/// three contiguous arrays read through one unsafe view cost neither.
public struct SparseRows: Sendable {
    public let offsets: [Int]
    public let indices: [Int32]
    public let values: [Float]

    public init(_ rows: [SparseVector]) {
        var offsets = [Int](), indices = [Int32](), values = [Float]()
        let total = rows.reduce(0) { $0 + $1.count }
        offsets.reserveCapacity(rows.count + 1)
        indices.reserveCapacity(total)
        values.reserveCapacity(total)
        offsets.append(0)
        for row in rows {
            indices.append(contentsOf: row.indices)
            values.append(contentsOf: row.values)
            offsets.append(indices.count)
        }
        (self.offsets, self.indices, self.values) = (offsets, indices, values)
    }

    public var count: Int { offsets.count - 1 }

    /// Calls `body` with a view whose rows can be read without reference counting (internal:
    /// the view must not outlive the call).
    func withView<R>(_ body: (View) throws -> R) rethrows -> R {
        try offsets.withUnsafeBufferPointer { offsets in
            try indices.withUnsafeBufferPointer { indices in
                try values.withUnsafeBufferPointer { values in
                    try body(View(offsets: offsets, indices: indices, values: values))
                }
            }
        }
    }

    /// The rows' storage, valid only inside `withView`.
    struct View {
        let offsets: UnsafeBufferPointer<Int>
        let indices: UnsafeBufferPointer<Int32>
        let values: UnsafeBufferPointer<Float>

        var count: Int { offsets.count - 1 }

        /// Row `i`'s positions in `indices` and `values`.
        @inline(__always)
        func range(_ i: Int) -> Range<Int> { offsets[i]..<offsets[i + 1] }
    }
}
