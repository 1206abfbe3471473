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
    let history: PredictionHistory
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
        let archive = predict(archiveModel) ?? document.archive, category = predict(categoryModel) ?? document.category
        // What a newer model replaces stays queryable by the version that said it.
        try await history.keep(articleId: document.articleId, version: document.version, old: document.archive, replacedBy: archive)
        try await history.keep(articleId: document.articleId, version: document.version, old: document.category, replacedBy: category)
        document.archive = archive
        document.category = category
        document.waiting = false
        // Scored by arXiv's current names: the models learn a retired archive's papers under its successor.
        let recorded = document.trueCategory
        document.archiveCorrect = document.archive?.label.map { ArxivTaxonomy.isCorrect(predictedArchive: $0, recorded: recorded) }
        document.categoryCorrect = document.category?.label.map { ArxivTaxonomy.isCorrect(predicted: $0, recorded: recorded) }
        document.categoryTop3 = document.category.map { $0.top.contains { ArxivTaxonomy.isCorrect(predicted: $0.label, recorded: recorded) } }
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

    /// One pass of re-classification: every paper whose predictions came from older models
    /// than the ones loaded is classified again (the old ones kept in the history) and
    /// announced again, in id order, a page at a time.
    func reclassify(progress: @Sendable (Reclassification.Counts) async throws -> Void) async throws -> Reclassification.Counts {
        var counts = Reclassification.Counts()
        var after: ArxivClassificationStore.Key? = nil
        while true {
            let page = try await store.classified(after: after, limit: 500)
            guard let last = page.last else { break }
            after = .init(articleId: last.articleId, version: last.version)
            let archiveModel = await book.model(.arxivArchive)?.announcement.modelId, categoryModel = await book.model(.arxivCategory)?.announcement.modelId
            for var document in page {
                counts.examined += 1
                guard document.archive?.model != archiveModel || document.category?.model != categoryModel else { continue }
                if try await classify(&document, trace: "reclassify-\(document.articleId)v\(document.version)") { counts.reclassified += 1 }
            }
            try await progress(counts)
        }
        return counts
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
