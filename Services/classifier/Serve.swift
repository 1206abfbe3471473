import ArgumentParser
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import Logging
import Redis
import ServiceKit
import Streams

/// The service: loads the newest models from the trainer (at start-up, on `models.trained`, and
/// every `MODEL_REFRESH_S` for replicas that did not receive the announcement), classifies
/// `spectra.features` and `arxiv.articles`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the classifier service (default).")

    func run() async throws {
        try await Self.buildService().run()
    }
}

/// Fetches a model's artifact from the trainer, installs it if newer, and classifies what was
/// waiting for it.
struct ModelLoader: Sendable {
    let book: ModelBook
    let trainer: TrainerClient
    let spectra: SpectraClassification
    let papers: ArxivClassification
    let drains: BacklogDrains
    /// Starts re-classifying a pipeline's stored items once a model replaced an older one.
    let reclassify: @Sendable (ModelKind) async -> Void
    let logger: Logger

    @Sendable func load(_ announcement: ModelTrained) async throws {
        let earlier = await book.model(announcement.kind)
        if let earlier, earlier.announcement.modelVersion >= announcement.modelVersion { return }
        guard try await install(announcement) else { return }
        if earlier != nil { await reclassify(announcement.kind) }
        let (spectra, papers, logger) = (spectra, papers, logger)
        var kinds: Set = [announcement.kind]
        if announcement.kind == .spectraClass, await book.model(.spectraMK) == nil,
           let letters = try? await trainer.latest(.spectraMK), (try? await install(letters)) == true {
            // A session announces CLASS before MK: with the MK model in too, the backlog is
            // classified once, not twice; and stars classified earlier get their letter.
            kinds.insert(.spectraMK)
        }
        try await drains.drain(kinds) { kind in
            switch kind {
            case .spectraClass, .spectraMK: _ = try await spectra.drainBacklog(after: kind, logger: logger)
            case .arxivArchive, .arxivCategory: _ = try await papers.drainBacklog(after: kind, logger: logger)
            }
        }
    }

    private func install(_ announcement: ModelTrained) async throws -> Bool {
        let artifact = try await trainer.artifact(of: announcement)
        guard await book.install(.init(announcement: announcement, artifact: artifact)) else { return false }
        logger.info("model loaded", metadata: ["model": "\(announcement.modelId)", "classes": "\(announcement.classes.count)"])
        return true
    }
}

/// `POST /api/arxiv/lookup`'s body: the papers whose latest predictions are wanted.
struct ArxivLookup: Decodable {
    var ids: [String]
}
