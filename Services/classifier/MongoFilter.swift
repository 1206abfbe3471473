/// A MongoDB query document of equalities and at most one range bounded on both sides: the
/// shape the MongoDB stand-in serves from a compound index (its planner walks an index only
/// for equalities on the index's leading fields and one range on the next one).
struct MongoFilter: Encodable, Sendable, Equatable {
    enum Value: Encodable, Sendable, Equatable {
        case string(String), bool(Bool)
        /// `{"$gt": above, "$lte": atMost}`.
        case range(above: Int, atMost: Int)

        func encode(to encoder: any Encoder) throws {
            switch self {
            case .string(let text):
                var container = encoder.singleValueContainer()
                try container.encode(text)
            case .bool(let flag):
                var container = encoder.singleValueContainer()
                try container.encode(flag)
            case .range(let above, let atMost):
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(above, forKey: Key(stringValue: "$gt"))
                try container.encode(atMost, forKey: Key(stringValue: "$lte"))
            }
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var conditions: [String: Value] = [:]

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for (key, value) in conditions { try container.encode(value, forKey: Key(stringValue: key)) }
    }
}
