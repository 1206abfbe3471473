import Foundation
import Redis
import ServiceLifecycle
import Streams
import Synchronization
import Testing

@Suite("Stream runtime: a subscription hands every entry to every replica")
struct StreamSubscriptionTests {
    @Test("""
        two subscribers each see every message, including one published just before they started; an entry without an \
        envelope and a handler that throws are skipped, and the subscription goes on; no consumer group is created
        """)
    func everyReplicaSeesEverything() async throws {
        let configuration = try RedisConfiguration(url: TestServers.redisURL)
        let redis = try await RedisConnection.connect(configuration)
        let stream = uniqueName("subscription")
        // Before the subscribers exist: within their minute of look-back.
        try await publish(1, on: stream, redis: redis)
        let seen = [HandledLog(), HandledLog()]
        let subscribers = seen.map { log in
            StreamSubscription(stream: stream, redis: configuration, logger: quietLogger, blockTime: .milliseconds(200)) { envelope in
                let message = try TestMessage(envelope: envelope, stream: stream)
                if message.payload == "poison" { throw TestFailure(text: "cannot digest \(message.number)") }
                log.record(message.idempotencyKey)
            }
        }
        try await withServices(subscribers) {
            try await redis.xadd(stream, fields: ["garbage": "no envelope here"])
            try await publish(4, on: stream, first: 1, payload: { $0 == 3 ? "poison" : "ok" }, redis: redis)
            try await eventually("both saw four") { seen.allSatisfy { $0.distinct == 4 } }
        }
        for log in seen { #expect(log.snapshot == ["test-0": 1, "test-1": 1, "test-2": 1, "test-4": 1]) }
        #expect(try await redis.xinfoGroups(stream).isEmpty, "a subscription creates no group")
    }
}
