import Arxiv
import Foundation
import Streams

/// `arxiv.articles` v1: a paper version the poller had not stored before.
public struct ArxivArticle: StreamMessage, Equatable {
    public static let stream = StreamName.arxivArticles
    public static let type = "arxiv.article"
    public static let version = 1

    public var entry: ArxivEntry
    /// False for the first version the poller stored of this paper; true for a later one.
    public var isNewVersion: Bool
    /// The poll or backfill that found it.
    public var source: String

    enum CodingKeys: String, CodingKey {
        case entry, isNewVersion = "is_new_version", source
    }

    public init(entry: ArxivEntry, isNewVersion: Bool, source: String) {
        (self.entry, self.isNewVersion, self.source) = (entry, isNewVersion, source)
    }

    public var idempotencyKey: String { "article:\(entry.versionedId)" }
}

/// `arxiv.poll-requests` v1: poll now, or backfill a date range.
public struct ArxivPollRequest: StreamMessage, Equatable {
    public static let stream = StreamName.arxivPollRequests
    public static let type = "arxiv.poll-request"
    public static let version = 1

    /// How a backfill reaches arXiv.
    public enum Path: String, Codable, Sendable, CaseIterable {
        /// The search API, by submission date.
        case api
        /// OAI-PMH `ListRecords`, by datestamp (a record's last change), optionally one set.
        case oai
    }

    public var requestId: String
    /// Backfill papers submitted from this day (inclusive); nil with `until` nil: a normal poll.
    public var from: Date?
    /// … until this day (inclusive).
    public var until: Date?
    /// nil: `api`. Added within v1: a reader that predates it polls the API.
    public var via: Path?
    /// An OAI-PMH set (`physics:astro-ph`, `cs`) for `via: oai`.
    public var set: String?

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", from, until, via, set
    }

    public init(requestId: String, from: Date? = nil, until: Date? = nil, via: Path? = nil, set: String? = nil) {
        (self.requestId, self.from, self.until, self.via, self.set) = (requestId, from, until, via, set)
    }

    public var idempotencyKey: String { "poll:\(requestId)" }
}

/// `arxiv.summarized` v1: a paper version's summary is stored (summarizer's `summaries`).
public struct ArxivSummarized: StreamMessage, Equatable {
    public static let stream = StreamName.arxivSummarized
    public static let type = "arxiv.summarized"
    public static let version = 1

    public var id: String
    public var version: Int
    /// `textrank` or `llm`.
    public var method: String
    public var model: String?
    public var summary: String
    /// Language codes of the stored translations (none without an LLM).
    public var languages: [String]

    public init(id: String, version: Int, method: String, model: String?, summary: String, languages: [String]) {
        (self.id, self.version, self.method, self.model, self.summary, self.languages) = (id, version, method, model, summary, languages)
    }

    public var idempotencyKey: String { "summarized:\(id)v\(version):\(method)" }
}

/// A text model's ranked answer for one paper.
public struct ArxivPrediction: Codable, Sendable, Equatable {
    public struct Ranked: Codable, Sendable, Equatable {
        public var label: String
        public var probability: Double

        public init(label: String, probability: Double) { (self.label, self.probability) = (label, probability) }
    }

    /// The k most probable labels, best first.
    public var top: [Ranked]
    /// `arxiv-category@2`.
    public var model: String

    public init(top: [Ranked], model: String) { (self.top, self.model) = (top, model) }

    public var label: String? { top.first?.label }
}

/// `arxiv.classified` v1: a paper version's predicted archive and category, beside the true
/// primary category arXiv gives (so accuracy can be followed live).
public struct ArxivClassified: StreamMessage, Equatable {
    public static let stream = StreamName.arxivClassified
    public static let type = "arxiv.classified"
    public static let version = 1

    public var id: String
    public var version: Int
    public var archive: ArxivPrediction?
    public var category: ArxivPrediction?
    public var trueCategory: String
    /// Words in the title and abstract, for drift in length.
    public var words: Int
    /// Share of the paper's words outside the category model's vocabulary, for vocabulary drift.
    public var outOfVocabulary: Double?
    /// The paper's distinct content words outside that vocabulary (at most 20), so the drift
    /// monitor can say which words are new; optional (absent from messages of older classifiers).
    public var newWords: [String]?

    enum CodingKeys: String, CodingKey {
        case id, version, archive, category, trueCategory = "true_category", words, outOfVocabulary = "out_of_vocabulary", newWords = "new_words"
    }

    public init(
        id: String, version: Int, archive: ArxivPrediction?, category: ArxivPrediction?, trueCategory: String, words: Int, outOfVocabulary: Double?,
        newWords: [String]? = nil
    ) {
        (self.id, self.version, self.archive, self.category, self.trueCategory) = (id, version, archive, category, trueCategory)
        (self.words, self.outOfVocabulary, self.newWords) = (words, outOfVocabulary, newWords)
    }

    public var trueArchive: String { ArxivEntry.archive(of: trueCategory) }
    /// Right by arXiv's current names (`ArxivTaxonomy`): `math.AG` is right for an `alg-geom` paper.
    public var archiveCorrect: Bool? { archive?.label.map { ArxivTaxonomy.isCorrect(predictedArchive: $0, recorded: trueCategory) } }
    public var categoryCorrect: Bool? { category?.label.map { ArxivTaxonomy.isCorrect(predicted: $0, recorded: trueCategory) } }

    public var idempotencyKey: String { "arxiv-classified:\(id)v\(version):\(archive?.model ?? "-"):\(category?.model ?? "-")" }
}
