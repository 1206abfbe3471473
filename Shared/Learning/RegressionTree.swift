/// One tree of a gradient-boosted ensemble: binary splits on raw feature values, a value at
/// every node (a leaf's is what the tree adds to the margin), and each node's cover (the
/// hessian weight of the training rows that reached it), which exact TreeSHAP needs to know
/// how a missing feature's expectation divides between the branches.
public struct RegressionTree: Codable, Sendable, Equatable {
    public struct Node: Codable, Sendable, Equatable {
        /// The split feature, or -1 for a leaf.
        public var feature: Int
        /// Rows with `value <= threshold` go left.
        public var threshold: Double
        public var left: Int
        public var right: Int
        /// The leaf's contribution (for an inner node: what it would contribute as a leaf).
        public var value: Double
        public var cover: Double

        enum CodingKeys: String, CodingKey { case feature = "f", threshold = "t", left = "l", right = "r", value = "v", cover = "c" }

        public var isLeaf: Bool { feature < 0 }
    }

    public var nodes: [Node]

    public init(nodes: [Node]) {
        self.nodes = nodes
    }

    /// The leaf value `row` reaches.
    @inline(__always) public func value(_ row: [Double]) -> Double {
        var index = 0
        while nodes[index].feature >= 0 {
            let node = nodes[index]
            index = row[node.feature] <= node.threshold ? node.left : node.right
        }
        return nodes[index].value
    }

    /// The leaf value reached by row `row` of a column-major matrix (training, without copying rows).
    @inline(__always) func value(_ x: FeatureMatrix, row: Int) -> Double {
        var index = 0
        while nodes[index].feature >= 0 {
            let node = nodes[index]
            index = x[row, node.feature] <= node.threshold ? node.left : node.right
        }
        return nodes[index].value
    }
}
