import Arxiv
import Contracts
import Foundation
import Learning
import Streams

/// Summaries of one paper version: always the extractive one (TextRank over the abstract);
/// with an LLM configured, also a plain-language summary and its translations.
struct Summarizer: Sendable {
    let llm: LLMClient?
    let languages: [String]
    let extractiveSentences: Int

    static let languageNames = [
        "fr": "French", "es": "Spanish", "de": "German", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "zh": "Chinese",
        "ja": "Japanese", "ru": "Russian", "ar": "Arabic", "en": "English",
    ]

    func summarize(_ entry: ArxivEntry) async throws -> SummaryDocument {
        let extractive = TextRank.summarize(entry.summary, sentences: extractiveSentences)
        var document = SummaryDocument(
            articleId: entry.id, version: entry.version, title: entry.title, primaryCategory: entry.primaryCategory,
            method: "textrank", model: nil, summary: extractive, extractive: extractive, translations: [:], createdAt: Date())
        guard let llm else { return document }
        let plain = try await llm.complete(
            system: "You explain research papers to curious non-specialists. Answer with the summary only.",
            user: "Summarise this arXiv paper in plain language, in at most three sentences.\n\nTitle: \(entry.title)\n\nAbstract: \(entry.summary)")
        document.method = "llm"
        document.model = llm.model
        document.summary = plain
        for language in languages {
            let name = Self.languageNames[language] ?? language
            document.translations[language] = try await llm.complete(
                system: "You are a careful scientific translator. Answer with the translation only.",
                user: "Translate into \(name) (language code \(language)):\n\n\(plain)")
        }
        return document
    }
}

/// One document per paper version in the summarizer's `summaries` collection.
struct SummaryDocument: Codable, Sendable, Equatable {
    var articleId: String
    var version: Int
    var title: String
    var primaryCategory: String
    /// `textrank` or `llm`.
    var method: String
    /// The LLM model, when one was used.
    var model: String?
    var summary: String
    /// The TextRank summary, kept whatever the method.
    var extractive: String
    /// Language code → translation of `summary`; empty without an LLM (never faked).
    var translations: [String: String]
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case articleId = "article_id", version, title, primaryCategory = "primary_category", method, model, summary, extractive,
             translations, createdAt = "created_at"
    }
}
