import Learning
import Testing

@Suite("Grouped folds: cross-validation that never puts one plan on both sides")
struct GroupedFoldsTests {
    static let groups = (0..<40).flatMap { plan in Array(repeating: "plan-\(plan)", count: 1 + plan % 7) }

    @Test("each group lies in exactly one fold, and every row is held out exactly once")
    func groupsStayWhole() {
        let folds = GroupedFolds(groups: Self.groups, folds: 5, seed: 3)
        for group in Set(Self.groups) {
            let foldsOfGroup = Set(Self.groups.indices.filter { Self.groups[$0] == group }.map { folds.fold[$0] })
            #expect(foldsOfGroup.count == 1, "\(group) spans folds \(foldsOfGroup)")
        }
        let heldOut = (0..<5).flatMap { folds.split($0).test }.sorted()
        #expect(heldOut == Array(Self.groups.indices))
        for index in 0..<5 {
            let (train, test) = folds.split(index)
            #expect(Set(train.map { Self.groups[$0] }).isDisjoint(with: test.map { Self.groups[$0] }))
        }
    }

    @Test("folds are balanced to within the largest group, and the same seed gives the same folds")
    func balancedAndRepeatable() {
        let folds = GroupedFolds(groups: Self.groups, folds: 5, seed: 3)
        let sizes = (0..<5).map { folds.split($0).test.count }
        #expect(sizes.max()! - sizes.min()! <= 7, "\(sizes)")
        #expect(GroupedFolds(groups: Self.groups, folds: 5, seed: 3) == folds)
    }
}
