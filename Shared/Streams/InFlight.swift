import Synchronization

/// The entries this process is handling right now: a bounded number of slots, the time each
/// started (for heartbeats), and a way to wait for all to finish (for graceful shutdown).
actor InFlight {
    private let capacity: Int
    /// Changed only by the actor; read without it by `count` and `running(longerThan:)`, so a
    /// heartbeat never waits for the actor's turn on a cooperative thread that may be busy.
    private let started = Mutex<[String: ContinuousClock.Instant]>([:])
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    private var startedCount: Int { started.withLock(\.count) }
    var free: Int { max(0, capacity - startedCount) }
    nonisolated var count: Int { started.withLock(\.count) }

    func contains(_ id: String) -> Bool { started.withLock { $0[id] != nil } }

    /// Waits until at least one slot is free; returns how many are.
    func waitForFreeSlots() async -> Int {
        while startedCount >= capacity {
            await withCheckedContinuation { slotWaiters.append($0) }
        }
        return capacity - startedCount
    }

    /// Takes a slot for `id`; false when `id` is already being handled here.
    func begin(_ id: String) -> Bool {
        started.withLock { started in
            guard started[id] == nil else { return false }
            started[id] = .now
            return true
        }
    }

    /// Takes slots for the ids not already being handled here (one actor turn for a batch); returns them.
    func begin(_ ids: [String]) -> [String] {
        let now = ContinuousClock.now
        return started.withLock { started in
            ids.filter { id in
                guard started[id] == nil else { return false }
                started[id] = now
                return true
            }
        }
    }

    /// Frees the slots of a batch.
    func end(_ ids: [String]) {
        for id in ids { end(id) }
    }

    func end(_ id: String) {
        let empty = started.withLock { started in
            started[id] = nil
            return started.isEmpty
        }
        if !slotWaiters.isEmpty { slotWaiters.removeFirst().resume() }
        if empty {
            drainWaiters.forEach { $0.resume() }
            drainWaiters = []
        }
    }

    func waitUntilEmpty() async {
        guard startedCount > 0 else { return }
        await withCheckedContinuation { drainWaiters.append($0) }
    }

    /// Entries running for longer than `age`.
    nonisolated func running(longerThan age: Duration) -> [String] {
        let now = ContinuousClock.now
        return started.withLock { $0.filter { now - $0.value > age }.map(\.key) }
    }
}
