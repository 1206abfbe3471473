/// How much balanced accuracy on held-out rows drops when one feature's values are shuffled:
/// unlike impurity importance, it is measured on data the model did not train on and is not
/// biased towards features with many distinct values.
public enum PermutationImportance {
    public static func compute(
        _ model: TabularClassifier, rows: [[Double]], truth: [Int], seed: UInt64, repeats: Int = 3
    ) -> [FeatureImportance] {
        func score(_ rows: [[Double]]) -> Double {
            ClassificationReport(labels: model.classes, truth: truth, probabilities: rows.map(model.probabilities)).balancedAccuracy
        }
        let baseline = score(rows)
        var generator = SeededGenerator(seed: seed)
        return model.featureNames.indices.map { column in
            var drop = 0.0
            for _ in 0..<repeats {
                var shuffled = rows.map { $0[column] }
                shuffled.shuffle(using: &generator)
                var permuted = rows
                for r in permuted.indices { permuted[r][column] = shuffled[r] }
                drop += baseline - score(permuted)
            }
            return FeatureImportance(feature: model.featureNames[column], importance: drop / Double(repeats))
        }.sorted { $0.importance > $1.importance }
    }
}
