import Synchronization

/// Entry ids whose handlers have committed their effects, waiting to be acknowledged in one
/// `XACK` per flush rather than one round trip each.
///
/// An id stays "done" from the handler's return until Redis confirms its `XACK`, so that a
/// reclaim running meanwhile (on a loaded machine a flush can lag) does not handle it again.
/// It stays done a little longer: until the next read of pending entries starts. A read sent
/// before the `XACK` landed (an `XAUTOCLAIM` whose reply is still being looked at when the
/// flush confirms) may return the id, and must still see it as done.
final class AckBuffer: Sendable {
    private struct State {
        var waiting: [String] = []
        var done: Set<String> = []
        /// Acknowledged since the last pending read started.
        var confirmed: Set<String> = []
    }

    private let state = Mutex(State())

    func add(_ id: String) {
        state.withLock {
            $0.waiting.append(id)
            $0.done.insert(id)
        }
    }

    func add(_ ids: [String]) {
        state.withLock {
            $0.waiting.append(contentsOf: ids)
            $0.done.formUnion(ids)
        }
    }

    /// Takes the ids to acknowledge now; they stay "done" until `confirm` or `restore`.
    func take() -> [String] {
        state.withLock { state in
            defer { state.waiting = [] }
            return state.waiting
        }
    }

    /// Redis acknowledged `ids` (or they no longer need it).
    func confirm(_ ids: [String]) {
        state.withLock { state in
            for id in ids {
                state.done.remove(id)
                state.confirmed.insert(id)
            }
        }
    }

    /// Call before sending a read of pending entries: acknowledgements Redis applied before it
    /// cannot be in its reply, so they need not be remembered any more.
    func pendingReadStarts() {
        state.withLock { $0.confirmed = [] }
    }

    /// Puts back ids whose acknowledgement failed, to try again on the next flush.
    func restore(_ failed: [String]) {
        state.withLock { $0.waiting.insert(contentsOf: failed, at: 0) }
    }

    /// Whether `id` was handled here and awaits its `XACK`, or was acknowledged after the
    /// current pending read started.
    func isDone(_ id: String) -> Bool { state.withLock { $0.done.contains(id) || $0.confirmed.contains(id) } }

    var isEmpty: Bool { state.withLock { $0.waiting.isEmpty } }
}
