/// Grows one regression tree on per-row gradients and hessians, histogram-based: at each node
/// the rows' gradients are summed per feature bin and the split with the largest regularised
/// gain (XGBoost's `G²/(H+λ)` rule) is read off the cumulative sums. A node's smaller child is
/// summed row by row and the larger one is the parent minus it, so each level costs the rows
/// of the smaller halves only.
struct HistogramTreeGrower {
    struct Settings {
        var maxDepth: Int
        /// Least hessian weight in a child (for squared error: the least rows).
        var minChildWeight: Double
        /// L2 regularisation of leaf values.
        var lambda: Double
        /// Leaf values are scaled by this (the learning rate).
        var shrinkage: Double
    }

    let bins: FeatureBins
    /// `FeatureBins.binned` of the training matrix.
    let binned: [UInt8]
    let rows: Int
    let settings: Settings

    private struct Pending {
        var node: Int
        var start: Int
        var end: Int
        var depth: Int
        /// `histogram[(feature * binCount + bin) * 2]` = gradient sum, `+ 1` = hessian sum.
        var histogram: [Double]
        var gradient: Double
        var hessian: Double
    }

    /// A tree over `samples` (row indices, repeated rows allowed) trying `features` at every
    /// split; each chosen split's gain is added to `gains[feature]`.
    func grow(gradients: [Double], hessians: [Double], samples: [Int], features: [Int], gains: inout [Double]) -> RegressionTree {
        var order = samples
        var nodes = [RegressionTree.Node(feature: -1, threshold: 0, left: -1, right: -1, value: 0, cover: 0)]
        var gradient = 0.0, hessian = 0.0
        for s in order { gradient += gradients[s]; hessian += hessians[s] }
        var pending = [Pending(
            node: 0, start: 0, end: order.count, depth: 0,
            histogram: histogram(order[...], gradients: gradients, hessians: hessians, features: features),
            gradient: gradient, hessian: hessian)]
        let lambda = settings.lambda
        while let task = pending.popLast() {
            nodes[task.node].value = -task.gradient / (task.hessian + lambda) * settings.shrinkage
            nodes[task.node].cover = task.hessian
            guard task.depth < settings.maxDepth, task.end - task.start >= 2,
                  let split = bestSplit(task.histogram, gradient: task.gradient, hessian: task.hessian, features: features)
            else { continue }
            gains[split.feature] += split.gain
            // Rows with bin ≤ split.bin to the front of the node's range.
            var boundary = task.start
            let column = split.feature * rows
            for i in task.start..<task.end where Int(binned[column + order[i]]) <= split.bin {
                order.swapAt(i, boundary)
                boundary += 1
            }
            let left = nodes.count
            nodes.append(RegressionTree.Node(feature: -1, threshold: 0, left: -1, right: -1, value: 0, cover: 0))
            nodes.append(RegressionTree.Node(feature: -1, threshold: 0, left: -1, right: -1, value: 0, cover: 0))
            nodes[task.node].feature = split.feature
            nodes[task.node].threshold = bins.thresholds[split.feature][split.bin]
            nodes[task.node].left = left
            nodes[task.node].right = left + 1
            // The smaller child summed, the larger one by subtraction.
            let leftIsSmaller = boundary - task.start <= task.end - boundary
            let small = leftIsSmaller ? order[task.start..<boundary] : order[boundary..<task.end]
            let smallHistogram = histogram(small, gradients: gradients, hessians: hessians, features: features)
            var largeHistogram = task.histogram
            for i in largeHistogram.indices { largeHistogram[i] -= smallHistogram[i] }
            let (leftHistogram, rightHistogram) = leftIsSmaller ? (smallHistogram, largeHistogram) : (largeHistogram, smallHistogram)
            pending.append(Pending(
                node: left + 1, start: boundary, end: task.end, depth: task.depth + 1, histogram: rightHistogram,
                gradient: task.gradient - split.leftGradient, hessian: task.hessian - split.leftHessian))
            pending.append(Pending(
                node: left, start: task.start, end: boundary, depth: task.depth + 1, histogram: leftHistogram,
                gradient: split.leftGradient, hessian: split.leftHessian))
        }
        return RegressionTree(nodes: nodes)
    }

    private func histogram(_ samples: ArraySlice<Int>, gradients: [Double], hessians: [Double], features: [Int]) -> [Double] {
        let binCount = bins.binCount
        var histogram = [Double](repeating: 0, count: bins.thresholds.count * binCount * 2)
        histogram.withUnsafeMutableBufferPointer { histogram in
            binned.withUnsafeBufferPointer { binned in
                gradients.withUnsafeBufferPointer { gradients in
                    hessians.withUnsafeBufferPointer { hessians in
                        for feature in features {
                            let column = feature * rows, base = feature * binCount
                            for s in samples {
                                let slot = (base + Int(binned[column + s])) * 2
                                histogram[slot] += gradients[s]
                                histogram[slot + 1] += hessians[s]
                            }
                        }
                    }
                }
            }
        }
        return histogram
    }

    private func bestSplit(_ histogram: [Double], gradient: Double, hessian: Double, features: [Int])
        -> (feature: Int, bin: Int, gain: Double, leftGradient: Double, leftHessian: Double)?
    {
        let lambda = settings.lambda, minimum = settings.minChildWeight, binCount = bins.binCount
        let parent = gradient * gradient / (hessian + lambda)
        var best: (feature: Int, bin: Int, gain: Double, leftGradient: Double, leftHessian: Double)? = nil
        for feature in features {
            var leftGradient = 0.0, leftHessian = 0.0
            let base = feature * binCount
            for bin in 0..<bins.thresholds[feature].count {
                leftGradient += histogram[(base + bin) * 2]
                leftHessian += histogram[(base + bin) * 2 + 1]
                let rightHessian = hessian - leftHessian
                guard leftHessian >= minimum, rightHessian >= minimum else { continue }
                let rightGradient = gradient - leftGradient
                let gain = leftGradient * leftGradient / (leftHessian + lambda) + rightGradient * rightGradient / (rightHessian + lambda) - parent
                if gain > (best?.gain ?? 1e-9) { best = (feature, bin, gain, leftGradient, leftHessian) }
            }
        }
        return best
    }
}
