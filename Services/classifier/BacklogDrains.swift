import Contracts

/// One backlog drain per model kind at a time. A model reaches the classifier both as a
/// `models.trained` message and through the refresher; two drains side by side fetched the
/// same waiting documents and classified (and announced) each of them twice. A drain asked for
/// while one runs makes that one go round again instead.
actor BacklogDrains {
    private var running: Set<ModelKind> = []
    private var askedAgain: Set<ModelKind> = []

    func drain(_ kind: ModelKind, _ body: @Sendable () async throws -> Void) async throws {
        guard !running.contains(kind) else {
            askedAgain.insert(kind)
            return
        }
        running.insert(kind)
        defer { running.remove(kind) }
        repeat {
            askedAgain.remove(kind)
            try await body()
        } while askedAgain.contains(kind)
    }
}
