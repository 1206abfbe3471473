/// Spaces requests to the same host at least `interval` apart, within this process.
actor HostRateLimiter {
    private let interval: Duration
    private var nextSlot: [String: ContinuousClock.Instant] = [:]

    init(interval: Duration) {
        self.interval = interval
    }

    /// Waits for this request's turn at `host`.
    func acquire(host: String) async throws {
        let now = ContinuousClock.now
        let slot = max(now, nextSlot[host] ?? now)
        nextSlot[host] = slot + interval
        if slot > now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
