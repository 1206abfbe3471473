import Contracts
import Logging
import ServiceLifecycle

/// Asks the trainer for the newest models every `interval`: a safety net behind the
/// `models.trained` subscription, for a replica that could not load an announced model then.
struct ModelRefresher: Service {
    let kinds: [ModelKind]
    let interval: Duration
    let trainer: TrainerClient
    let book: ModelBook
    let load: @Sendable (ModelTrained) async throws -> Void
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            for kind in kinds {
                do {
                    guard let latest = try await trainer.latest(kind) else { continue }
                    if let current = await book.model(kind), current.announcement.modelVersion >= latest.modelVersion { continue }
                    try await load(latest)
                } catch {
                    logger.debug("model refresh failed; will retry", metadata: ["kind": "\(kind.rawValue)", "error": "\(error)"])
                }
            }
        }
    }
}
