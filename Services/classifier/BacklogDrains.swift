import Contracts

/// One backlog drain at a time per pipeline (spectra, arXiv). A model reaches the classifier
/// both as a `models.trained` message and through the refresher, and a paper or spectrum is
/// classified with every model of its pipeline at once: drains side by side fetched the same
/// waiting documents and classified (and announced) each of them twice. A drain asked for while
/// one runs is done by that one when it has finished its current kind.
actor BacklogDrains {
    private var running: Set<String> = []
    private var asked: [String: Set<ModelKind>] = [:]

    func drain(_ kinds: Set<ModelKind>, _ body: @Sendable (ModelKind) async throws -> Void) async throws {
        guard let pipeline = kinds.first.map(Self.pipeline) else { return }
        asked[pipeline, default: []].formUnion(kinds)
        guard !running.contains(pipeline) else { return }
        running.insert(pipeline)
        defer { running.remove(pipeline) }
        // What is asked for meanwhile stays in `asked` until its turn, even if a drain fails,
        // so the next drain of the pipeline does it.
        while let kind = asked[pipeline]?.sorted(by: { $0.rawValue < $1.rawValue }).first {
            try await body(kind)
            asked[pipeline]?.remove(kind)
        }
    }

    static func pipeline(_ kind: ModelKind) -> String {
        ModelKind.spectra.contains(kind) ? "spectra" : "arxiv"
    }
}
