import Synchronization

/// Entry ids whose handlers have committed their effects, waiting to be acknowledged in one
/// `XACK` per flush rather than one round trip each.
final class AckBuffer: Sendable {
    private let ids = Mutex<[String]>([])

    func add(_ id: String) {
        ids.withLock { $0.append(id) }
    }

    /// Takes everything buffered so far.
    func take() -> [String] {
        ids.withLock { ids in
            defer { ids = [] }
            return ids
        }
    }

    /// Puts back ids whose acknowledgement failed, to try again on the next flush.
    func restore(_ failed: [String]) {
        ids.withLock { $0.insert(contentsOf: failed, at: 0) }
    }

    var isEmpty: Bool { ids.withLock { $0.isEmpty } }
}
