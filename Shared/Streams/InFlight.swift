/// The entries this process is handling right now: a bounded number of slots, the time each
/// started (for heartbeats), and a way to wait for all to finish (for graceful shutdown).
actor InFlight {
    private let capacity: Int
    private var started: [String: ContinuousClock.Instant] = [:]
    private var slotWaiters: [CheckedContinuation<Void, Never>] = []
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    var free: Int { max(0, capacity - started.count) }
    var count: Int { started.count }

    func contains(_ id: String) -> Bool { started[id] != nil }

    /// Waits until at least one slot is free; returns how many are.
    func waitForFreeSlots() async -> Int {
        while started.count >= capacity {
            await withCheckedContinuation { slotWaiters.append($0) }
        }
        return capacity - started.count
    }

    /// Takes a slot for `id`; false when `id` is already being handled here.
    func begin(_ id: String) -> Bool {
        guard started[id] == nil else { return false }
        started[id] = .now
        return true
    }

    func end(_ id: String) {
        started[id] = nil
        if !slotWaiters.isEmpty { slotWaiters.removeFirst().resume() }
        if started.isEmpty {
            drainWaiters.forEach { $0.resume() }
            drainWaiters = []
        }
    }

    func waitUntilEmpty() async {
        guard !started.isEmpty else { return }
        await withCheckedContinuation { drainWaiters.append($0) }
    }

    /// Entries running for longer than `age`.
    func running(longerThan age: Duration) -> [String] {
        let now = ContinuousClock.now
        return started.filter { now - $0.value > age }.map(\.key)
    }
}
