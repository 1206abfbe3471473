import Contracts
import Logging
import ServiceLifecycle
import Synchronization

/// Asks the trainer for the newest models: a safety net behind the `models.trained`
/// subscription. Every `interval` in the ordinary course; every `retryInterval` while a load
/// has failed (the trainer unreachable at start-up, an artifact that could not be fetched when
/// announced), until one round of asking succeeds for every kind.
struct ModelRefresher: Service {
    /// Set by whoever failed to load a model; cleared by a round that reached the trainer for every kind.
    final class Behind: Sendable {
        private let flag = Mutex(false)
        func set() { flag.withLock { $0 = true } }
        fileprivate func clear() { flag.withLock { $0 = false } }
        var isSet: Bool { flag.withLock { $0 } }
    }

    let kinds: [ModelKind]
    let interval: Duration
    var retryInterval: Duration = .seconds(5)
    let behind: Behind
    let trainer: TrainerClient
    let book: ModelBook
    let load: @Sendable (ModelTrained) async throws -> Void
    let logger: Logger

    func run() async throws {
        let clock = ContinuousClock()
        var lastRound = clock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: min(interval, retryInterval)) }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            guard behind.isSet || clock.now - lastRound >= interval else { continue }
            lastRound = clock.now
            var failed = false
            for kind in kinds {
                do {
                    guard let latest = try await trainer.latest(kind) else { continue }
                    if let current = await book.model(kind), current.announcement.modelVersion >= latest.modelVersion { continue }
                    try await load(latest)
                } catch {
                    failed = true
                    logger.debug("model refresh failed; will retry", metadata: ["kind": "\(kind.rawValue)", "error": "\(error)"])
                }
            }
            if !failed { behind.clear() }
        }
    }
}
