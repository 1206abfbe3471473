import Arxiv
import Contracts
import Learning
import Logging
import Streams

/// The arXiv half of the classifier: the top 3 archives and categories of every paper with
/// probabilities, stored beside the truth arXiv gives, so that accuracy is measured live.
struct ArxivClassification: Sendable {
    let book: ModelBook
    let store: ArxivClassificationStore
    let producer: StreamProducer

    @Sendable func handle(_ delivery: Delivery) async throws {
        let entry = try delivery.decode(ArxivArticle.self).entry
        var document = ArxivClassificationStore.Document(
            articleId: entry.id, version: entry.version, trueCategory: entry.primaryCategory, text: entry.title + ". " + entry.summary,
            title: entry.title, waiting: true)
        if try await classify(&document, trace: delivery.envelope.trace) { return }
        try await store.save(document)
        // A model may have been installed (and the waiting papers classified) meanwhile.
        _ = try await classify(&document, trace: delivery.envelope.trace)
    }

    /// Predicts with every loaded text model, stores and announces; false when none is loaded.
    func classify(_ document: inout ArxivClassificationStore.Document, trace: String) async throws -> Bool {
        let archiveModel = await book.model(.arxivArchive), categoryModel = await book.model(.arxivCategory)
        guard archiveModel != nil || categoryModel != nil else { return false }
        func predict(_ loaded: ModelBook.Loaded?) -> ArxivPrediction? {
            guard let loaded, let model = loaded.text else { return nil }
            return ArxivPrediction(top: model.top(3, ArxivClassificationStore.textDocument(document)).map { .init(label: $0.label, probability: $0.probability) }, model: loaded.announcement.modelId)
        }
        document.archive = predict(archiveModel) ?? document.archive
        document.category = predict(categoryModel) ?? document.category
        document.waiting = false
        let trueArchive = ArxivEntry.archive(of: document.trueCategory)
        document.archiveCorrect = document.archive?.label.map { $0 == trueArchive }
        document.categoryCorrect = document.category?.label.map { $0 == document.trueCategory }
        document.categoryTop3 = document.category.map { $0.top.contains { $0.label == document.trueCategory } }
        try await store.save(document)
        let words = Tokenizer.words(document.text).count
        let misses = categoryModel?.text?.vectorizer.misses(ArxivClassificationStore.textDocument(document).body)
        try await producer.publish(
            ArxivClassified(
                id: document.articleId, version: document.version, archive: document.archive, category: document.category,
                trueCategory: document.trueCategory, words: words, outOfVocabulary: misses?.rate, newWords: misses?.words),
            trace: trace)
        return true
    }

    /// Classifies the papers the model of `kind`, just installed, has not seen; returns how many.
    func drainBacklog(after kind: ModelKind, logger: Logger) async throws -> Int {
        let field = kind == .arxivArchive ? "archive" : "category"
        var total = 0
        while true {
            let waiting = try await store.missing(field, limit: 500)
            var progressed = 0
            for var document in waiting where try await classify(&document, trace: "backlog-\(document.articleId)") { progressed += 1 }
            total += progressed
            if waiting.count < 500 || progressed == 0 { break }
        }
        if total > 0 { logger.info("classified papers that waited for a model", metadata: ["count": "\(total)", "kind": "\(kind.rawValue)"]) }
        return total
    }
}
