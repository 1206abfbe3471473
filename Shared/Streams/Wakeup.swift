import Synchronization

/// One waiter woken by a signal or a timeout: the stream worker's control loop sleeps on it
/// until a handler has something to acknowledge, instead of waking every few milliseconds.
///
/// A signal given while nobody waits is kept for the next wait, so that none is lost between
/// a flush and the wait after it.
final class Wakeup: Sendable {
    private struct State: ~Copyable {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Whether a wait is parked on a signal now (for tests that must signal a parked waiter).
    var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the first signal (or at once if one is kept), after `timeout`, or when the
    /// task is cancelled.
    func wait(timeout: Duration) async {
        if state.withLock({ state in
            defer { state.signalled = false }
            return state.signalled
        }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.waitForSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.signalled || Task.isCancelled {
                        state.signalled = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
