/// Each feature cut into at most `maxBins` bins at its quantiles, as histogram-based boosting
/// (XGBoost's `hist`, LightGBM) does: a split is then chosen among bin edges by summing
/// gradients per bin, not by sorting the rows at every node.
///
/// A value `v` of feature `f` falls in bin `b`, the first with `v <= thresholds[f][b]`, or in
/// the last bin (`thresholds[f].count`) when it is above every edge. "Bin ≤ b goes left" is
/// therefore "v ≤ thresholds[f][b] goes left", which is how a grown tree tests raw values.
public struct FeatureBins: Sendable, Equatable {
    public let thresholds: [[Double]]
    /// The most bins any feature has (one more than its edges).
    public let binCount: Int

    public init(_ x: FeatureMatrix, maxBins: Int = 256) {
        precondition((2...256).contains(maxBins), "bins are stored in a byte: 2…256, not \(maxBins)")
        thresholds = (0..<x.columns).map { column in
            // NaN has no place in an order: callers fill missing values first (TabularClassifier
            // uses training medians); any left are dropped here and fall in the last bin.
            let sorted = (0..<x.rows).map { x[$0, column] }.filter { !$0.isNaN }.sorted()
            var distinct: [Double] = []
            for value in sorted where value != distinct.last { distinct.append(value) }
            guard distinct.count > 1 else { return [] }
            if distinct.count <= maxBins {
                // Few values: an edge midway between each neighbouring pair.
                return zip(distinct, distinct.dropFirst()).map { ($0 + $1) / 2 }
            }
            // Many: edges at the quantile values themselves; `v <= edge` keeps equal values in one bin.
            var edges: [Double] = []
            for q in 1..<maxBins {
                let value = sorted[q * sorted.count / maxBins]
                guard value < distinct[distinct.count - 1], value > (edges.last ?? -.infinity) else { continue }
                edges.append(value)
            }
            return edges
        }
        binCount = (thresholds.map(\.count).max() ?? 0) + 1
    }

    /// The bin of `value` for `feature`.
    @inline(__always) public func bin(_ value: Double, feature: Int) -> Int {
        let edges = thresholds[feature]
        var low = 0, high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if value <= edges[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Every row's bin, column by column like `FeatureMatrix`: `bins[column * rows + row]`.
    public func binned(_ x: FeatureMatrix) -> [UInt8] {
        var bins = [UInt8](repeating: 0, count: x.rows * x.columns)
        for column in 0..<x.columns {
            for row in 0..<x.rows { bins[column * x.rows + row] = UInt8(bin(x[row, column], feature: column)) }
        }
        return bins
    }
}
