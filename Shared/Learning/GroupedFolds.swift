/// K-fold cross-validation folds that keep each group whole (a LAMOST plan: one plate's
/// spectra share observing conditions and reduction, so a plate on both sides flatters a
/// model). Groups go, largest first, to the fold holding the fewest rows so far (ties among
/// equal groups broken by a seeded shuffle), as scikit-learn's GroupKFold balances them.
public struct GroupedFolds: Sendable, Equatable {
    /// The fold of each row, 0..<count.
    public var fold: [Int]
    public var count: Int

    public init(groups: [String], folds: Int, seed: UInt64) {
        precondition(folds >= 2, "cross-validation needs two folds or more")
        var sizes: [String: Int] = [:]
        for group in groups { sizes[group, default: 0] += 1 }
        var generator = SeededGenerator(seed: seed)
        let order = sizes.keys.sorted().shuffled(using: &generator)
        // Stable sort by size keeps the shuffled order among equal sizes.
        let ranked = order.enumerated().sorted { a, b in
            sizes[a.element]! != sizes[b.element]! ? sizes[a.element]! > sizes[b.element]! : a.offset < b.offset
        }.map(\.element)
        var load = [Int](repeating: 0, count: folds)
        var assignment: [String: Int] = [:]
        for group in ranked {
            let lightest = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            assignment[group] = lightest
            load[lightest] += sizes[group]!
        }
        fold = groups.map { assignment[$0]! }
        count = folds
    }

    /// Rows of fold `index` (the held-out part) and the rest (the training part).
    public func split(_ index: Int) -> (train: [Int], test: [Int]) {
        var train: [Int] = [], test: [Int] = []
        for (row, f) in fold.enumerated() { if f == index { test.append(row) } else { train.append(row) } }
        return (train, test)
    }
}
