import Contracts
import Learning
import Logging
import ServiceKit
import Spectra
import Streams

/// The spectra half of the classifier: a CLASS for every feature vector, an MK letter for
/// those predicted to be stars. Vectors that arrive before any model wait in the store and
/// are classified when the first model is installed.
struct SpectraClassification: Sendable {
    let book: ModelBook
    let store: SpectrumPredictionStore
    let history: PredictionHistory
    let producer: StreamProducer

    /// The vectors of one read side by side (each stored and, with a model, classified), then
    /// their announcements in one pipelined round trip.
    @Sendable func handle(batch deliveries: [Delivery]) async throws {
        let messages = try deliveries.map { try $0.decode(SpectrumFeatures.self) }
        let announcements = try await Array(zip(messages, deliveries)).concurrentMap(limit: 8) { try await self.handle($0, delivery: $1) }.flatMap { $0 }
        try await producer.publish(traced: announcements.map { ($0.message, $0.trace) })
    }

    /// A `spectra.classified` to publish once its document is stored.
    struct Announcement: Sendable {
        var message: SpectrumClassified
        var trace: String
    }

    private func handle(_ message: SpectrumFeatures, delivery: Delivery) async throws -> [Announcement] {
        var document = SpectrumPredictionStore.Document(
            obsid: message.entry.obsid, file: message.entry.file, sha256: message.sha256, status: .awaitingModel,
            surveyClass: message.entry.objectClass, surveySubclass: message.entry.subclass, plan: message.entry.planId, featureVersion: message.features.version,
            features: message.features)
        var announcements: [Announcement] = []
        if try await classify(&document, trace: delivery.envelope.trace, into: &announcements) { return announcements }
        try await store.save(document)
        // A model may have been installed (and the backlog drained) while this was stored.
        if try await classify(&document, trace: delivery.envelope.trace, into: &announcements) { return announcements }
        delivery.logger.debug("waiting for a spectra-class model", metadata: ["obsid": "\(document.obsid)"])
        return []
    }

    /// Classifies and stores `document` if a CLASS model is loaded, adding its announcements.
    func classify(_ document: inout SpectrumPredictionStore.Document, trace: String, into announcements: inout [Announcement]) async throws -> Bool {
        let mkModelBefore = await book.model(.spectraMK)?.announcement.modelVersion
        guard let first = try await classifyOnce(&document, trace: trace) else { return false }
        announcements.append(first)
        // The first MK model may have arrived (and its backlog been drained) while this star
        // was being stored without a letter: then it is classified again, with one.
        if document.objectClass?.label == "STAR", document.mkLetter == nil, mkModelBefore == nil, await book.model(.spectraMK) != nil,
            let again = try await classifyOnce(&document, trace: trace)
        {
            announcements.append(again)
        }
        return true
    }

    private func classifyOnce(_ document: inout SpectrumPredictionStore.Document, trace: String) async throws -> Announcement? {
        guard let features = document.features, let classModel = await book.model(.spectraClass) else { return nil }
        let objectClass = Self.predict(classModel, features)
        var letter: SpectrumPrediction? = nil
        if objectClass.label == "STAR", let mkModel = await book.model(.spectraMK) {
            letter = Self.predict(mkModel, features)
        }
        // What a newer model replaces stays queryable by the version that said it.
        try await history.keep(obsid: document.obsid, old: document.objectClass, replacedBy: objectClass)
        // A letter the new CLASS answer removed (no longer a star) was replaced by that model.
        try await history.keep(obsid: document.obsid, old: document.mkLetter, replacedBy: letter ?? objectClass)
        document.status = .classified
        document.objectClass = objectClass
        document.mkLetter = letter
        document.classCorrect = CatalogEntry.classes.contains(document.surveyClass) && document.surveyClass != "Unknown"
            ? objectClass.label == document.surveyClass : nil
        // The vector stays, as the classifier received it, so that a newer model can classify
        // the spectrum again (pages leave it out, by projection).
        try await store.save(document)
        return Announcement(
            message: SpectrumClassified(
                obsid: document.obsid, file: document.file, sha256: document.sha256, featureVersion: features.version,
                objectClass: objectClass.announced, mkLetter: letter?.announced, surveyClass: document.surveyClass, surveySubclass: document.surveySubclass),
            trace: trace)
    }

    /// Contributions kept per prediction: enough to say why, small enough for every document.
    static let explainedFeatures = 8

    static func predict(_ loaded: ModelBook.Loaded, _ features: FeatureVector) -> SpectrumPrediction {
        guard let model = loaded.model else { preconditionFailure("\(loaded.announcement.modelId) is not a spectra model") }
        let row = model.align(names: features.names, values: features.values)
        let probabilities = model.probabilities(row)
        let best = ClassificationReport.argmax(probabilities)
        let typeIndex = model.predictedTypeIndex(row)
        return SpectrumPrediction(
            label: model.classes[best],
            probabilities: Dictionary(uniqueKeysWithValues: zip(model.classes, probabilities)),
            model: loaded.announcement.modelId,
            subtype: typeIndex.map(SpectralType.name(index:)), typeIndex: typeIndex,
            explanation: model.explanation(row, class: best, top: explainedFeatures))
    }

    /// One pass of re-classification: every classified spectrum whose answer came from an
    /// older model than the ones loaded is classified again (its old answers kept in the
    /// history) and announced again, in OBSID order, a page at a time. Documents stored
    /// before the classifier kept vectors cannot be, and are counted.
    func reclassify(progress: @Sendable (Reclassification.Counts) async throws -> Void) async throws -> Reclassification.Counts {
        var counts = Reclassification.Counts()
        var after = Int.min
        while true {
            let page = try await store.classified(after: after, limit: 500)
            guard let last = page.last else { break }
            after = last.obsid
            let classModel = await book.model(.spectraClass)?.announcement.modelId, mkModel = await book.model(.spectraMK)?.announcement.modelId
            var announcements: [Announcement] = []
            for var document in page {
                counts.examined += 1
                let current = document.objectClass?.model == classModel && (document.objectClass?.label != "STAR" || mkModel == nil || document.mkLetter?.model == mkModel)
                if current { continue }
                guard document.features != nil else { counts.withoutVector += 1; continue }
                if let announcement = try await classifyOnce(&document, trace: "reclassify-\(document.obsid)") {
                    announcements.append(announcement)
                    counts.reclassified += 1
                }
            }
            try await producer.publish(traced: announcements.map { ($0.message, $0.trace) })
            try await progress(counts)
        }
        return counts
    }

    /// Classifies what was waiting for the model of `kind` just installed: every vector for
    /// the first CLASS model, stars without a letter for the first MK model. Returns how many.
    func drainBacklog(after kind: ModelKind, logger: Logger) async throws -> Int {
        var total = 0
        while true {
            let waiting = try await kind == .spectraMK ? store.starsWithoutLetter(limit: 500) : store.awaiting(limit: 500)
            var progressed = 0
            for var document in waiting {
                var announcements: [Announcement] = []
                guard try await classify(&document, trace: "backlog-\(document.obsid)", into: &announcements) else { continue }
                try await producer.publish(traced: announcements.map { ($0.message, $0.trace) })
                progressed += 1
            }
            total += progressed
            if waiting.count < 500 || progressed == 0 { break }
        }
        if total > 0 { logger.info("classified spectra that waited for a model", metadata: ["count": "\(total)", "kind": "\(kind.rawValue)"]) }
        return total
    }
}
