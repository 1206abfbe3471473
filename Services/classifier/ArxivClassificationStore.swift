import Learning
import Contracts
import Mongo

/// The classifier's own collection for papers: one document per paper version, classified by
/// whichever text models are loaded, or waiting (with its text) for the first.
struct ArxivClassificationStore: Sendable {
    let collection: MongoCollection

    struct Document: Codable, Sendable {
        var articleId: String
        var version: Int
        var trueCategory: String
        /// "title. abstract".
        var text: String
        /// The title apart (absent from documents stored before it was kept).
        var title: String?
        var archive: ArxivPrediction?
        var category: ArxivPrediction?
        var archiveCorrect: Bool?
        var categoryCorrect: Bool?
        /// The true category among the category model's top 3.
        var categoryTop3: Bool?
        var waiting: Bool

        enum CodingKeys: String, CodingKey {
            case articleId = "article_id", version, trueCategory = "true_category", text, title, archive, category, archiveCorrect = "archive_correct",
                 categoryCorrect = "category_correct", categoryTop3 = "category_top3", waiting
        }
    }

    /// What the text models read: the title apart from the abstract when it was kept.
    static func textDocument(_ document: Document) -> TextDocument {
        guard let title = document.title, document.text.hasPrefix(title + ". ") else { return TextDocument(document.text) }
        return TextDocument(title: title, body: String(document.text.dropFirst(title.count + 2)))
    }

    static func prepare(_ client: MongoClient) async throws {
        try await client.collection("classifications").createIndex(keys: ["article_id": 1, "version": 1], unique: true)
        try await client.collection("classifications").createIndex(keys: ["waiting": 1])
    }

    struct Key: Encodable, Sendable {
        var articleId: String
        var version: Int
        enum CodingKeys: String, CodingKey { case articleId = "article_id", version }
    }

    func save(_ document: Document) async throws {
        try await collection.upsert(filter: Key(articleId: document.articleId, version: document.version), document: document)
    }

    func latest(articleId: String) async throws -> Document? {
        try await collection.find(Document.self, filter: ["article_id": articleId], sort: ["version": -1], limit: 1).first
    }

    /// The latest document of each of `articleIds` that has one, by id, without the stored text.
    func latest(articleIds: [String]) async throws -> [String: Document] {
        guard !articleIds.isEmpty else { return [:] }
        let filter = ["article_id": ["$in": articleIds]]
        var latest: [String: Document] = [:]
        for var document in try await collection.find(Document.self, filter: filter) where (latest[document.articleId]?.version ?? 0) < document.version {
            document.text = ""
            latest[document.articleId] = document
        }
        return latest
    }

    /// Classified papers after `key` in (id, version) order: a re-classification pass's page.
    /// The page is read from `key`'s id on, so the rest of an id's versions is not skipped.
    func classified(after key: Key?, limit: Int) async throws -> [Document] {
        guard let key else {
            return try await collection.find(Document.self, filter: ["waiting": false], sort: ["article_id": 1, "version": 1], limit: limit)
        }
        struct From: Encodable, Sendable {
            var waiting = false
            var articleId: [String: String]
            enum CodingKeys: String, CodingKey { case waiting, articleId = "article_id" }
        }
        // An id's versions are few, so a page from the id on holds more than them.
        let found = try await collection.find(
            Document.self, filter: From(articleId: ["$gte": key.articleId]), sort: ["article_id": 1, "version": 1], limit: limit + 64)
        return Array(found.filter { $0.articleId > key.articleId || $0.version > key.version }.prefix(limit))
    }

    /// Papers with no prediction yet from the model of `field` (`archive` or `category`).
    func missing(_ field: String, limit: Int) async throws -> [Document] {
        let filter: [String: String?] = [field: nil]
        return try await collection.find(Document.self, filter: filter, sort: ["article_id": 1], limit: limit)
    }

    struct Summary: Codable, Sendable {
        /// Papers with a prediction of at least one kind; `waiting`: with none yet.
        var classified: Int
        var waiting: Int
        /// Papers with an archive (category) prediction: a paper classified while only one kind
        /// of model was loaded gets the other when that model arrives.
        var archivePredicted: Int
        var categoryPredicted: Int
        var liveArchiveAccuracy: Double?
        var liveCategoryAccuracy: Double?
        var liveCategoryTop3: Double?
        enum CodingKeys: String, CodingKey {
            case classified, waiting, archivePredicted = "archive_predicted", categoryPredicted = "category_predicted"
            case liveArchiveAccuracy = "live_archive_accuracy", liveCategoryAccuracy = "live_category_accuracy",
                 liveCategoryTop3 = "live_category_top3"
        }
    }

    func summary() async throws -> Summary {
        func share(_ field: String) async throws -> Double? {
            let right = try await collection.count(filter: [field: true]), wrong = try await collection.count(filter: [field: false])
            return right + wrong > 0 ? Double(right) / Double(right + wrong) : nil
        }
        return Summary(
            classified: try await collection.count(filter: ["waiting": false]), waiting: try await collection.count(filter: ["waiting": true]),
            archivePredicted: try await collection.count(filter: ["archive.model": ["$exists": true]]),
            categoryPredicted: try await collection.count(filter: ["category.model": ["$exists": true]]),
            liveArchiveAccuracy: try await share("archive_correct"), liveCategoryAccuracy: try await share("category_correct"),
            liveCategoryTop3: try await share("category_top3"))
    }
}
