import Foundation
import Mongo
import Postgres
import Redis
import Synchronization

/// One dependency check for `/readyz`.
public struct ReadinessCheck: Sendable {
    public var name: String
    /// Whether a failure should pause stream workers (databases: yes; Redis: the workers handle it).
    public var gatesWorkers: Bool
    public var probe: @Sendable () async throws -> Void

    public init(name: String, gatesWorkers: Bool, probe: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.gatesWorkers = gatesWorkers
        self.probe = probe
    }

    /// Runs the probe with a time limit; nil when healthy, the reason otherwise.
    func evaluate(timeout: Duration = .seconds(3)) async -> String? {
        let probe = probe
        return await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do {
                    try await probe()
                    return nil
                } catch {
                    return "\(error)"
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return "no answer within \(timeout.inSeconds) s"
            }
            let first = await group.next() ?? "no result"
            group.cancelAll()
            return first
        }
    }
}

/// Answers "is a dependency down?" for stream workers, re-checking at most once a second.
actor DependencyGate {
    private let checks: [ReadinessCheck]
    private var lastAnswer: String?
    private var checkedAt: ContinuousClock.Instant?

    init(checks: [ReadinessCheck]) {
        self.checks = checks.filter(\.gatesWorkers)
    }

    func blockingReason() async -> String? {
        if let checkedAt, ContinuousClock.now - checkedAt < .seconds(1) { return lastAnswer }
        var reason: String?
        for check in checks {
            if let failure = await check.evaluate() {
                reason = "\(check.name) unavailable: \(failure)"
                break
            }
        }
        lastAnswer = reason
        checkedAt = .now
        return reason
    }
}

/// Whether start-up (migrations, consumer groups) has finished, and if not, what it waits for.
final class StartupState: Sendable {
    private let state = Mutex<(done: Bool, waitingFor: String?)>((false, "starting"))

    var isDone: Bool { state.withLock { $0.done } }
    var waitingFor: String? { state.withLock { $0.waitingFor } }

    func waiting(for reason: String) { state.withLock { $0.waitingFor = reason } }
    func finished() { state.withLock { $0 = (true, nil) } }
}
