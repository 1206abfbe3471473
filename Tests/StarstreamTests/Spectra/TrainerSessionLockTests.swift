import Postgres
import Synchronization
import Testing
@testable import trainer

@Suite("Trainer session lock: one training session at a time across replicas")
struct TrainerSessionLockTests {
    @Test("a second session waits, says so once, and starts when the first has ended")
    func secondSessionWaits() async throws {
        let url = try await TestDatabase.create()
        let (first, second) = (TrainerStore(pool: PostgresPool(url: url)), TrainerStore(pool: PostgresPool(url: url)))
        let events = EventLog()
        @Sendable func note(_ event: String) { events.note(event) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await first.holdingSessionLock(waiting: { note("first waits") }) { _ in
                    note("first starts")
                    try await eventually(timeout: .seconds(20), "the second session to wait") { events.all.contains("second waits") }
                    note("first ends")
                }
            }
            try await eventually("the first session to start") { events.all.contains("first starts") }
            group.addTask {
                try await second.holdingSessionLock(waiting: { note("second waits") }) { _ in note("second starts") }
            }
            try await group.waitForAll()
        }
        #expect(events.all == ["first starts", "second waits", "first ends", "second starts"])
    }

    @Test("a session whose lock connection dropped while it trained finds out before it registers")
    func lostLock() async throws {
        let url = try await TestDatabase.create()
        let store = TrainerStore(pool: PostgresPool(url: url))
        let admin = PostgresPool(url: url, size: 1)
        await #expect(throws: (any Error).self) {
            try await store.holdingSessionLock(waiting: {}) { confirmHeld in
                try await confirmHeld()
                // pg_locks spans the cluster: only this test's database.
                try await admin.query("""
                    SELECT pg_terminate_backend(pid) FROM pg_locks
                    WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                    """)
                try await confirmHeld()
            }
        }
        // Released with its connection: the next session takes it at once.
        try await store.holdingSessionLock(waiting: { Issue.record("the lock of a dropped connection was still held") }) { confirmHeld in
            try await confirmHeld()
        }
    }
}

/// What happened, in order, from any task.
final class EventLog: Sendable {
    private let events = Mutex<[String]>([])
    func note(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
}
