import Foundation

/// TF-IDF over word 1- and 2-grams of content words: a vocabulary of the terms found in at
/// least `minDocumentFrequency` training documents (the `maxFeatures` most frequent),
/// sublinear term frequency (1 + ln tf), smoothed idf (ln((1 + n) / (1 + df)) + 1, as
/// scikit-learn), rows scaled to unit length.
public struct TextVectorizer: Sendable {
    public let terms: [String]
    public let idf: [Float]
    private let index: [String: Int32]

    public init(terms: [String], idf: [Float]) {
        precondition(terms.count == idf.count)
        (self.terms, self.idf) = (terms, idf)
        index = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, Int32($0)) })
    }

    public var featureCount: Int { terms.count }

    /// The unigrams and bigrams of `text`.
    public static func grams(_ text: String) -> [String] {
        let words = Tokenizer.contentWords(text)
        guard words.count > 1 else { return words }
        return words + (1..<words.count).map { words[$0 - 1] + " " + words[$0] }
    }

    public static func fit(_ documents: [String], minDocumentFrequency: Int = 2, maxFeatures: Int = 20_000) -> TextVectorizer {
        var frequency: [String: Int] = [:]
        for document in documents {
            for gram in Set(grams(document)) { frequency[gram, default: 0] += 1 }
        }
        let kept = frequency.filter { $0.value >= minDocumentFrequency }
            .sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(maxFeatures)
        let terms = kept.map(\.key).sorted()
        let n = Float(documents.count)
        return TextVectorizer(terms: terms, idf: terms.map { log((1 + n) / (1 + Float(frequency[$0]!))) + 1 })
    }

    public func transform(_ text: String) -> SparseVector {
        var counts: [Int32: Float] = [:]
        for gram in Self.grams(text) {
            if let feature = index[gram] { counts[feature, default: 0] += 1 }
        }
        let sorted = counts.keys.sorted()
        var values = sorted.map { (1 + log(counts[$0]!)) * idf[Int($0)] }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { values = values.map { $0 / norm } }
        return SparseVector(indices: sorted, values: values)
    }

    /// Share of `text`'s grams that are not in the vocabulary.
    public func outOfVocabularyRate(_ text: String) -> Double {
        let grams = Self.grams(text).filter { !$0.contains(" ") }
        guard !grams.isEmpty else { return 0 }
        return Double(grams.filter { index[$0] == nil }.count) / Double(grams.count)
    }
}

extension TextVectorizer: Codable {
    enum CodingKeys: String, CodingKey { case terms, idf }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(terms: try container.decode([String].self, forKey: .terms), idf: try container.decode(PackedFloats.self, forKey: .idf).values)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(terms, forKey: .terms)
        try container.encode(PackedFloats(idf), forKey: .idf)
    }
}

extension TextVectorizer: Equatable {
    public static func == (a: TextVectorizer, b: TextVectorizer) -> Bool { a.terms == b.terms && a.idf == b.idf }
}
