/// A train/validation split that keeps each class's share in both parts.
public struct StratifiedSplit: Sendable, Equatable {
    public var train: [Int]
    public var validation: [Int]

    /// Puts `validationFraction` of each class's rows (rounded, at least one when the class has
    /// two or more rows) in `validation`. Rows keep their input order within each part.
    public init(labels: [Int], validationFraction: Double, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var byClass: [Int: [Int]] = [:]
        for (row, label) in labels.enumerated() { byClass[label, default: []].append(row) }
        var validation: Set<Int> = []
        for label in byClass.keys.sorted() {
            var rows = byClass[label]!
            rows.shuffle(using: &generator)
            var take = Int((Double(rows.count) * validationFraction).rounded())
            if rows.count >= 2 { take = min(max(take, 1), rows.count - 1) } else { take = 0 }
            validation.formUnion(rows.prefix(take))
        }
        train = labels.indices.filter { !validation.contains($0) }
        self.validation = labels.indices.filter { validation.contains($0) }
    }
}
