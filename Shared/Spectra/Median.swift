/// Exact medians without a full sort: the continuum fit takes one per clipping iteration.
enum Median {
    /// The median of `values`, reordering them (callers pass a scratch buffer they reuse).
    ///
    /// Large sets of non-negative numbers (magnitudes of residuals, signal-to-noise ratios) are
    /// bucketed first: the median is at most twice the mean (Markov), so a histogram over
    /// [0, 2·mean] finds the one or two buckets that hold the middle values, and only those few
    /// are sorted. Anything else goes to quickselect.
    ///
    /// - Parameter sum: the values' sum, when the caller has it (saves a pass); the values must
    ///   then be non-negative.
    static func inPlace(_ values: UnsafeMutableBufferPointer<Double>, sum knownSum: Double? = nil) -> Double {
        let count = values.count
        guard count > 0 else { return 0 }
        guard count >= 256 else { return quickselectMedian(values) }
        var sum = 0.0
        if let knownSum {
            sum = knownSum
        } else {
            var nonNegative = true
            for value in values {
                sum += value
                nonNegative = nonNegative && value >= 0  // false for NaN too
            }
            guard nonNegative else { return quickselectMedian(values) }
        }
        guard sum.isFinite, sum > 0 else { return quickselectMedian(values) }

        let bucketCount = 256
        let scale = Double(bucketCount) / (2 * sum / Double(count))
        // A mean so small that the scale overflows (subnormal values): 0 · ∞ would be NaN.
        guard scale.isFinite else { return quickselectMedian(values) }
        // Bucket of a value; monotonic in the value, so buckets are ordered ranges. The last
        // bucket takes everything from 2·mean up (the upper middle value only when it is 2·mean exactly).
        func bucket(_ value: Double) -> Int { Int(min(max(value * scale, 0), Double(bucketCount))) }
        var histogram = [Int](repeating: 0, count: bucketCount + 1)
        histogram.withUnsafeMutableBufferPointer { histogram in
            for value in values { histogram[bucket(value)] += 1 }
        }
        // Ranks of the middle value(s), 0-based: one for an odd count, two for an even one.
        let upperRank = count / 2
        let lowerRank = count % 2 == 0 ? upperRank - 1 : upperRank
        var below = 0, lowerBucket = -1, upperBucket = -1, seen = 0
        for index in 0...bucketCount {
            if lowerBucket < 0, seen + histogram[index] > lowerRank { lowerBucket = index; below = seen }
            if seen + histogram[index] > upperRank { upperBucket = index; break }
            seen += histogram[index]
        }
        // Buckets strictly between the two are empty: the middle values are the candidates' ranks.
        var candidates: [Double] = []
        candidates.reserveCapacity(histogram[lowerBucket] + histogram[upperBucket])
        // One unsigned comparison tests both bounds: one branch, and it is rarely taken.
        let span = UInt(upperBucket - lowerBucket)
        for value in values where UInt(bitPattern: bucket(value) &- lowerBucket) <= span {
            candidates.append(value)
        }
        candidates.sort()
        return 0.5 * (candidates[lowerRank - below] + candidates[upperRank - below])
    }

    private static func quickselectMedian(_ values: UnsafeMutableBufferPointer<Double>) -> Double {
        let middle = values.count / 2
        let upper = select(values, middle)
        guard values.count % 2 == 0 else { return upper }
        // The lower middle is the largest value left of the selected position.
        let lower = values[..<middle].max() ?? upper
        return 0.5 * (lower + upper)
    }

    /// Rearranges `values` so that position `k` holds the k-th smallest (Hoare) and returns it.
    private static func select(_ values: UnsafeMutableBufferPointer<Double>, _ k: Int) -> Double {
        var (low, high) = (0, values.count - 1)
        while low < high {
            let pivot = values[(low + high) / 2]
            var (i, j) = (low, high)
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return values[k]
    }
}
