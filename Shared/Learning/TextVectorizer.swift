import Foundation

/// TF-IDF over word 1- and 2-grams of content words: a vocabulary of the grams found in at
/// least `minDocumentFrequency` training documents (the `maxFeatures` most frequent, when
/// capped), sublinear term frequency (1 + ln tf), smoothed idf (ln((1 + n) / (1 + df)) + 1, as
/// scikit-learn), rows scaled to unit length. With `separateTitle`, a title's grams are
/// features apart from the same grams in the abstract.
///
/// Grams are named by `GramHash`, never spelled out: fitting 100,000 abstracts makes no string
/// per gram, and a vocabulary is stored as sorted hashes.
public struct TextVectorizer: Sendable {
    /// Feature `i` is the gram `hashes[i]` (ascending for a fitted vocabulary; a vocabulary
    /// read from terms keeps their order, which the stored weights are indexed by).
    public let hashes: [UInt64]
    public let idf: [Float]
    public let separateTitle: Bool
    private let index: [UInt64: Int32]

    public init(hashes: [UInt64], idf: [Float], separateTitle: Bool) {
        precondition(hashes.count == idf.count)
        (self.hashes, self.idf, self.separateTitle) = (hashes, idf, separateTitle)
        var index: [UInt64: Int32] = [:]
        index.reserveCapacity(hashes.count)
        for (position, hash) in hashes.enumerated() { index[hash] = Int32(position) }
        self.index = index
    }

    /// A vocabulary written as terms (`dark matter`; `t:dark matter` for a title's).
    public init(terms: [String], idf: [Float], separateTitle: Bool = false) {
        self.init(hashes: terms.map(GramHash.term), idf: idf, separateTitle: separateTitle)
    }

    public var featureCount: Int { hashes.count }

    /// The grams of `document`, in order, with repeats.
    public func grams(_ document: TextDocument, into grams: inout [UInt64]) {
        Self.grams(document, separateTitle: separateTitle, into: &grams)
    }

    static func grams(_ document: TextDocument, separateTitle: Bool, into grams: inout [UInt64]) {
        grams.removeAll(keepingCapacity: true)
        var previous: UInt64? = nil
        func add(_ text: String, salted: Bool) {
            Tokenizer.forEachWord(text) { bytes in
                let word = GramHash.word(bytes)
                guard !GramHash.stopWords.contains(word) else { return }
                grams.append(salted ? GramHash.title(word) : word)
                if let previous {
                    let pair = GramHash.pair(previous, word)
                    grams.append(salted ? GramHash.title(pair) : pair)
                }
                previous = word
            }
        }
        add(document.title, salted: separateTitle)
        // Joined, the title runs into the abstract as one text ("title. abstract") would.
        if separateTitle { previous = nil }
        add(document.body, salted: false)
    }

    public static func fit(
        _ documents: [TextDocument], minDocumentFrequency: Int = 2, maxFeatures: Int? = nil, separateTitle: Bool = false, threads: Int = 2
    ) -> TextVectorizer {
        let grams = sortedGrams(documents, separateTitle: separateTitle, threads: threads)
        return vocabulary(grams, minDocumentFrequency: minDocumentFrequency, maxFeatures: maxFeatures, separateTitle: separateTitle, threads: threads)
    }

    public func transform(_ document: TextDocument) -> SparseVector {
        var buffer: [UInt64] = []
        grams(document, into: &buffer)
        buffer.sort()
        return row(sortedGrams: buffer)
    }

    /// The row of a document whose grams (with repeats) are `grams`, ascending: a run of one
    /// gram is its term frequency.
    func row(sortedGrams grams: [UInt64]) -> SparseVector {
        var counts: [(feature: Int32, tf: Int)] = []
        counts.reserveCapacity(grams.count)
        var start = 0
        while start < grams.count {
            var end = start + 1
            while end < grams.count, grams[end] == grams[start] { end += 1 }
            if let feature = index[grams[start]] { counts.append((feature, end - start)) }
            start = end
        }
        counts.sort { $0.feature < $1.feature }
        var indices: [Int32] = [], values: [Float] = []
        indices.reserveCapacity(counts.count)
        values.reserveCapacity(counts.count)
        for (feature, tf) in counts {
            indices.append(feature)
            values.append((1 + log(Float(tf))) * idf[Int(feature)])
        }
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 { for i in values.indices { values[i] /= norm } }
        return SparseVector(indices: indices, values: values)
    }

    /// A text with no title.
    public func transform(_ text: String) -> SparseVector {
        transform(TextDocument(text))
    }

    /// How `text`'s content words miss the vocabulary, in one pass: the share that miss, and the
    /// distinct missing words in order of first use (at most `keeping`), the words a drifted
    /// stream brings that the model never learned.
    public func misses(_ text: String, keeping limit: Int = 20) -> (rate: Double, words: [String]) {
        var total = 0, missing = 0
        var seen: Set<UInt64> = [], words: [String] = []
        Tokenizer.forEachWord(text) { bytes in
            let word = GramHash.word(bytes)
            guard !GramHash.stopWords.contains(word) else { return }
            total += 1
            guard index[word] == nil else { return }
            missing += 1
            if words.count < limit, seen.insert(word).inserted { words.append(String(decoding: bytes, as: UTF8.self)) }
        }
        return (total == 0 ? 0 : Double(missing) / Double(total), words)
    }

    /// Share of `text`'s content words that are not in the vocabulary.
    public func outOfVocabularyRate(_ text: String) -> Double { misses(text, keeping: 0).rate }
}

extension TextVectorizer: Codable {
    /// `terms` is the first layout (grams as text, `tfidf-1-2gram-v1`); `gram_hashes` the second.
    enum CodingKeys: String, CodingKey { case terms, gramHashes = "gram_hashes", idf, separateTitle = "separate_title" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let idf = try container.decode(PackedFloats.self, forKey: .idf).values
        let separateTitle = try container.decodeIfPresent(Bool.self, forKey: .separateTitle) ?? false
        if let hashes = try container.decodeIfPresent(PackedWords.self, forKey: .gramHashes) {
            guard hashes.values.count == idf.count else {
                throw DecodingError.dataCorruptedError(forKey: .idf, in: container, debugDescription: "\(idf.count) idf values for \(hashes.values.count) grams")
            }
            self.init(hashes: hashes.values, idf: idf, separateTitle: separateTitle)
        } else {
            let terms = try container.decode([String].self, forKey: .terms)
            guard terms.count == idf.count else {
                throw DecodingError.dataCorruptedError(forKey: .idf, in: container, debugDescription: "\(idf.count) idf values for \(terms.count) terms")
            }
            self.init(terms: terms, idf: idf, separateTitle: separateTitle)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(PackedWords(hashes), forKey: .gramHashes)
        try container.encode(PackedFloats(idf), forKey: .idf)
        try container.encode(separateTitle, forKey: .separateTitle)
    }
}

extension TextVectorizer: Equatable {
    public static func == (a: TextVectorizer, b: TextVectorizer) -> Bool {
        a.hashes == b.hashes && a.idf == b.idf && a.separateTitle == b.separateTitle
    }
}

/// 64-bit words carried in JSON as base64 of their little-endian bytes.
struct PackedWords: Codable, Sendable, Equatable {
    var values: [UInt64]

    init(_ values: [UInt64]) { self.values = values }

    init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text), data.count % 8 == 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not base64 64-bit data"))
        }
        values = data.withUnsafeBytes { raw in
            (0..<(data.count / 8)).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
    }

    func encode(to encoder: any Encoder) throws {
        let words = values.map { $0.littleEndian }
        var container = encoder.singleValueContainer()
        try container.encode(words.withUnsafeBytes { Data($0) }.base64EncodedString())
    }
}
