extension Array where Element: Sendable {
    /// `transform` of every element, in order, at most `limit` at a time: how a batch handler
    /// works on its entries side by side without starting a hundred at once.
    public func concurrentMap<T: Sendable>(limit: Int, _ transform: @escaping @Sendable (Element) async throws -> T) async throws -> [T] {
        try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: count)
            var next = 0
            while next < Swift.min(Swift.max(1, limit), count) {
                let (index, element) = (next, self[next])
                group.addTask { (index, try await transform(element)) }
                next += 1
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < count {
                    let (index, element) = (next, self[next])
                    group.addTask { (index, try await transform(element)) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
