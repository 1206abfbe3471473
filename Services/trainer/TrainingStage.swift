import BlockingIO
import Contracts
import Foundation
import Logging
import Streams

/// Handles `models.train-requests`: trains the requested kinds on the stored examples,
/// registers the models and the session, writes the JSON report, announces `models.trained`.
/// A redelivered request republishes the announcements of its finished session instead of
/// training again.
struct TrainingStage: Sendable {
    let store: TrainerStore
    let producer: StreamProducer
    let trainer: SpectraTrainer
    let textTrainer: TextTrainer
    let reportDirectory: String
    /// Training is CPU-bound: it runs here, not on the cooperative pool.
    let threads: BlockingPool

    @Sendable func handle(_ delivery: Delivery) async throws {
        let request = try delivery.decode(TrainRequest.self)
        // One session at a time across replicas: an `unused` selection must see what the
        // session before it registered, and a redelivered request what its first run did.
        try await store.holdingSessionLock {
            delivery.logger.info("waiting for another replica's training session to finish", metadata: ["request": "\(request.requestId)"])
        } body: { confirmHeld in
            try await train(request, delivery: delivery, confirmHeld: confirmHeld)
        }
    }

    private func train(_ request: TrainRequest, delivery: Delivery, confirmHeld: @Sendable () async throws -> Void) async throws {
        let trace = delivery.envelope.trace
        if let done = try await store.announcements(requestId: request.requestId) {
            for announcement in done { try await producer.publish(announcement, trace: trace) }
            return
        }
        var session = TrainingSession(
            requestId: request.requestId, reason: request.reason, selection: request.selection,
            featureVersion: try await store.latestFeatureVersion(), startedAt: Date())
        var records: [TrainerStore.ModelRecord] = []
        var evaluations: [TrainingSession.TrainedModel] = []
        var textOutcomes: [ModelKind: (examples: Int, outcome: Swift.Result<TextTrainer.Result, any Error>)] = [:]
        var papers: [ModelKind: [LabelledText]] = [:]
        for kind in request.kinds {
            do {
                if ModelKind.spectra.contains(kind) {
                    guard let featureVersion = session.featureVersion else {
                        session.skipped[kind.rawValue] = "no labelled spectra yet"
                        continue
                    }
                    let examples = try await store.examples(featureVersion: featureVersion, kind: kind, selection: request.selection, limit: request.limit)
                    session.examples[kind.rawValue] = examples.count
                    delivery.logger.info("training", metadata: ["kind": "\(kind.rawValue)", "examples": "\(examples.count)", "request": "\(request.requestId)"])
                    let trainer = trainer
                    let result = try await threads.run { try trainer.train(kind, on: examples) }
                    records.append(try .init(result))
                    evaluations.append(.init(model: kind.rawValue, evaluation: result.evaluation))
                } else {
                    if textOutcomes[kind] == nil {
                        // The text levels of the request whose papers are the same (all of them, or the
                        // same unused ones) train together, on one vocabulary.
                        let levels = request.kinds.filter { ModelKind.arxiv.contains($0) && textOutcomes[$0] == nil }
                        for level in levels where papers[level] == nil {
                            papers[level] = try await store.articles(kind: level, selection: request.selection, limit: request.limit)
                        }
                        let examples = papers[kind] ?? []
                        let together = levels.filter { papers[$0]?.map(\.id) == examples.map(\.id) }
                        for level in together {
                            delivery.logger.info("training", metadata: ["kind": "\(level.rawValue)", "examples": "\(examples.count)", "request": "\(request.requestId)"])
                        }
                        let trainer = textTrainer
                        let outcomes = try await threads.run { trainer.train(together, on: examples) }
                        for (level, outcome) in outcomes { textOutcomes[level] = (papers[level]?.count ?? 0, outcome) }
                    }
                    guard let (count, outcome) = textOutcomes[kind] else { continue }
                    session.examples[kind.rawValue] = count
                    let result = try outcome.get()
                    records.append(try .init(result))
                    evaluations.append(.init(model: kind.rawValue, textEvaluation: result.evaluation))
                }
            } catch let failure as SpectraTrainer.Failure {
                session.skipped[kind.rawValue] = failure.description
                delivery.logger.warning("not trained", metadata: ["kind": "\(kind.rawValue)", "reason": "\(failure)"])
            }
        }
        try await confirmHeld()
        let announcements = try await store.register(session: session, records: records, evaluations: evaluations)
        if let report = try await store.session(requestId: request.requestId) {
            let path = try await threads.run { try Self.write(report, to: reportDirectory) }
            delivery.logger.info("training session report", metadata: ["path": "\(path)", "models": "\(announcements.map(\.modelId))"])
        }
        for announcement in announcements { try await producer.publish(announcement, trace: trace) }
    }

    /// Writes `training-<request>.json` atomically and returns its path.
    static func write(_ session: TrainingSession, to directory: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .iso8601
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let safe = session.requestId.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        let path = directory + "/training-" + String(safe) + ".json"
        try encoder.encode(session).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }
}
