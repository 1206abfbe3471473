/// A vector that is mostly zeros: the indices of its non-zero entries (ascending) and their values.
public struct SparseVector: Sendable, Equatable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        precondition(indices.count == values.count)
        (self.indices, self.values) = (indices, values)
    }

    public var count: Int { indices.count }
}
