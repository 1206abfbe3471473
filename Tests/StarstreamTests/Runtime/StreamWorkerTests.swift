import Foundation
import Redis
import ServiceLifecycle
import Streams
import Synchronization
import Testing

@Suite("Stream runtime: at-least-once delivery with consumer groups")
struct StreamWorkerTests {
    let redis: RedisConnection
    let redisConfiguration: RedisConfiguration
    let stream = uniqueName("runtime")

    init() async throws {
        redisConfiguration = try RedisConfiguration(url: TestServers.redisURL)
        redis = try await RedisConnection.connect(redisConfiguration)
    }

    func worker(
        _ consumer: String, stream: String? = nil, redis: RedisConfiguration? = nil, reclaimIdle: Duration = .seconds(30),
        maxDeliveries: Int = 5, concurrency: Int = 8, pauseWhile: (@Sendable () async -> String?)? = nil,
        handler: @escaping StreamHandler
    ) -> StreamWorker {
        StreamWorker(
            configuration: WorkerConfiguration(
                stream: stream ?? self.stream, group: "g", consumer: consumer, batchSize: 100, concurrency: concurrency,
                blockTime: .milliseconds(200), reclaimIdle: reclaimIdle, maxDeliveries: maxDeliveries),
            redis: redis ?? redisConfiguration, logger: quietLogger, pauseWhile: pauseWhile, handler: handler)
    }

    func pendingCount(_ connection: RedisConnection? = nil) async throws -> Int {
        try await (connection ?? redis).xpending(stream, group: "g").count
    }

    @Test("two consumers share a stream: each message is handled exactly once and none stays pending")
    func normalFlow() async throws {
        let log = HandledLog()
        let handler: StreamHandler = { delivery in log.record(try delivery.decode(TestMessage.self).idempotencyKey) }
        try await publish(1000, on: stream, redis: redis)
        let workers = [worker("a", handler: handler), worker("b", handler: handler)]
        try await withWorkers(workers) {
            try await eventually("1000 messages handled") { log.distinct == 1000 }
            try await eventually("no pending entries") { try await pendingCount() == 0 }
        }
        #expect(log.snapshot.values.allSatisfy { $0 == 1 })
        #expect(workers.map(\.status.processed).reduce(0, +) == 1000)
    }

    @Test("a malformed entry and a non-retryable failure go to the dead-letter stream at once; the rest go on")
    func immediateDeadLetters() async throws {
        let log = HandledLog()
        struct Corrupt: Error, NonRetryableError, CustomStringConvertible { var description: String { "corrupt input file" } }
        try await publish(10, on: stream, payload: { $0 == 3 ? "corrupt" : "ok" }, redis: redis)
        try await redis.xadd(stream, fields: ["garbage": "no envelope here"])
        try await withWorkers([worker("a") { delivery in
            let message = try delivery.decode(TestMessage.self)
            if message.payload == "corrupt" { throw Corrupt() }
            log.record(message.idempotencyKey)
        }]) {
            try await eventually("two dead letters") { try await redis.xlen(stream + ".dlq") == 2 }
            try await eventually("nine handled") { log.distinct == 9 }
        }
        let letters = try await redis.xrange(stream + ".dlq")
        let errors = letters.compactMap { $0.fields["dlq_error"] }.sorted()
        #expect(errors.first?.contains("corrupt input file") == true)
        #expect(errors.last?.contains("missing field 'type'") == true)
        #expect(letters.allSatisfy { $0.fields["dlq_deliveries"] == "1" && $0.fields["dlq_source_stream"] == stream })
        #expect(letters.contains { $0.fields["garbage"] == "no envelope here" })
        #expect(try await pendingCount() == 0)
    }

    @Test("a handler that always throws is dead-lettered after maxDeliveries with its error; the others go on")
    func repeatedFailures() async throws {
        let log = HandledLog()
        let attempts = Mutex(0)
        try await publish(20, on: stream, payload: { $0 == 7 ? "poison" : "ok" }, redis: redis)
        try await withWorkers([worker("a", reclaimIdle: .milliseconds(200), maxDeliveries: 3) { delivery in
            let message = try delivery.decode(TestMessage.self)
            if message.payload == "poison" {
                attempts.withLock { $0 += 1 }
                throw TestFailure(text: "cannot digest message \(message.number)")
            }
            log.record(message.idempotencyKey)
        }]) {
            try await eventually("19 handled") { log.distinct == 19 }
            try await eventually("one dead letter") { try await redis.xlen(stream + ".dlq") == 1 }
        }
        let letter = try #require(try await redis.xrange(stream + ".dlq").first)
        #expect(letter.fields["dlq_error"] == "cannot digest message 7")
        #expect(letter.fields["dlq_deliveries"] == "3")
        #expect(letter.fields["id"] == "test-7")
        #expect(try TestMessage(envelope: Envelope(entry: letter), stream: stream).number == 7)
        #expect(attempts.withLock { $0 } == 3)
        #expect(try await pendingCount() == 0)
    }

    @Test("a long-running handler keeps its entry: nobody reclaims it while it works")
    func heartbeats() async throws {
        let log = HandledLog()
        let slow: StreamHandler = { delivery in
            try await Task.sleep(for: .milliseconds(6000))
            log.record(try delivery.decode(TestMessage.self).idempotencyKey)
        }
        // Three reclaim periods of work; heartbeats every 500 ms keep it from the eager worker.
        // (With a 1 s reclaim time, a loaded CI machine once delayed the heartbeat past it.)
        try await publish(1, on: stream, redis: redis)
        try await withWorkers([worker("slow", reclaimIdle: .milliseconds(2000), handler: slow)]) {
            try await eventually("the slow worker started") { (try? await pendingCount()) == 1 }
            try await withWorkers([worker("eager", reclaimIdle: .milliseconds(2000), handler: slow)]) {
                try await eventually("handled") { log.distinct == 1 }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        #expect(log.snapshot == ["test-0": 1])
    }

    @Test("while a dependency is down the worker pauses; messages wait, nothing is dead-lettered")
    func pausesForDependencies() async throws {
        let log = HandledLog()
        let databaseDown = Mutex(true)
        try await publish(5, on: stream, redis: redis)
        let pausing = worker("a", reclaimIdle: .milliseconds(200), maxDeliveries: 1, pauseWhile: {
            databaseDown.withLock { $0 } ? "postgres unavailable: connection refused" : nil
        }) { delivery in log.record(try delivery.decode(TestMessage.self).idempotencyKey) }
        try await withWorkers([pausing]) {
            try await eventually("paused") { pausing.status.paused != nil }
            try await Task.sleep(for: .milliseconds(600))
            #expect(log.distinct == 0)
            databaseDown.withLock { $0 = false }
            try await eventually("all handled after recovery") { log.distinct == 5 }
        }
        #expect(try await redis.xlen(stream + ".dlq") == 0)
    }

    @Test("a handler that meets an unreachable dependency more often than maxDeliveries is retried in place: handled once, never dead-lettered, new reads paused meanwhile")
    func dependencyFailuresDoNotCount() async throws {
        let log = HandledLog()
        // Entry 3 meets the outage four times (0.2 + 0.4 + 0.8 + 1.6 s of back-off).
        let failuresLeft = Mutex(4)
        let startedDuringOutage = Mutex(0)
        try await publish(40, on: stream, redis: redis)
        let failing = worker("a", reclaimIdle: .milliseconds(300), maxDeliveries: 2, concurrency: 4) { delivery in
            let message = try delivery.decode(TestMessage.self)
            let left = failuresLeft.withLock { left in
                defer { if message.number == 3, left > 0 { left -= 1 } }
                return left
            }
            if message.number == 3, left > 0 { throw RedisError.connectionLost(command: "XADD", message: "Connection reset by peer") }
            // After the second failure every read sent before the first has been handled.
            if message.number != 3, (1...2).contains(left) { startedDuringOutage.withLock { $0 += 1 } }
            try await Task.sleep(for: .milliseconds(50))
            log.record(message.idempotencyKey)
        }
        try await withWorkers([failing]) {
            try await eventually(timeout: .seconds(30), "forty handled") { log.distinct == 40 }
            try await eventually("nothing pending") { try await pendingCount() == 0 }
        }
        #expect(log.snapshot.values.allSatisfy { $0 == 1 })
        #expect(try await redis.xlen(stream + ".dlq") == 0)
        #expect(startedDuringOutage.withLock { $0 } == 0, "no new entry was started while the dependency was down")
        #expect(failing.status.failed == 0, "a dependency failure is not the message's failure")
    }

    @Test("a handler that keeps failing with a connection error while every dependency answers is the message's fault: counted, then dead-lettered, so it cannot stall the worker")
    func connectionErrorWithHealthyDependencies() async throws {
        let log = HandledLog()
        try await publish(3, on: stream, redis: redis)
        try await withWorkers([worker("a", reclaimIdle: .milliseconds(300), maxDeliveries: 1) { delivery in
            let message = try delivery.decode(TestMessage.self)
            if message.number == 1 { throw RedisError.connectionLost(command: "XADD", message: "Connection reset by peer (the entry is too large)") }
            log.record(message.idempotencyKey)
        }]) {
            try await eventually(timeout: .seconds(30), "the poison entry dead-lettered") { try await redis.xlen(stream + ".dlq") == 1 }
            try await eventually("the others handled") { log.distinct == 2 }
        }
        let letter = try #require(try await redis.xrange(stream + ".dlq").first)
        #expect(letter.fields["id"] == "test-1")
        #expect(letter.fields["dlq_error"]?.contains("the entry is too large") == true)
    }

    /// Another service's API answering 503: the readiness gate pings servers, not peers, so it cannot tell.
    struct PeerAPIDown: PatientDependencyError, CustomStringConvertible {
        var retriesBeforeBlame: Int { 8 }
        var description: String { "the peer's API answered 503" }
    }

    struct ConnectionDropped: DependencyUnavailableError, CustomStringConvertible {
        var description: String { "the connection dropped (on this entry only)" }
    }

    @Test("a dependency the readiness gate cannot see (a peer's API) has patience of its own: past the five in-place retries after which an ordinary dependency error is the message's fault (seven failures), it is still retried, then handled once")
    func patientDependencyOutlastsTheDefault() async throws {
        let log = HandledLog()
        // Seven failures: an ordinary one is blamed on its sixth (after five back-offs); the
        // patient one waits on (0.2 + 0.4 + 0.8 + 1.6 + 3.2 + 5 + 5 s of back-off).
        let peerFailuresLeft = Mutex(7)
        try await publish(3, on: stream, redis: redis)
        let waiting = worker("a", reclaimIdle: .milliseconds(300), maxDeliveries: 1) { delivery in
            let message = try delivery.decode(TestMessage.self)
            if message.number == 1, peerFailuresLeft.withLock({ left in defer { left = max(0, left - 1) }; return left > 0 }) { throw PeerAPIDown() }
            if message.number == 2 { throw ConnectionDropped() }
            log.record(message.idempotencyKey)
        }
        try await withWorkers([waiting]) {
            try await eventually(timeout: .seconds(40), "the patient entry handled") { log.distinct == 2 }
            try await eventually(timeout: .seconds(20), "nothing pending") { try await pendingCount() == 0 }
        }
        #expect(log.snapshot.values.allSatisfy { $0 == 1 })
        #expect(peerFailuresLeft.withLock { $0 } == 0, "the peer failed seven times before it answered")
        let letters = try await redis.xrange(stream + ".dlq")
        #expect(letters.map { $0.fields["id"] } == ["test-2"], "only the ordinary dependency error, blamed on its sixth failure, is dead-lettered")
    }

    @Test("Redis restarted under handlers that publish: reconnects and history re-reads cost no attempt, nothing is dead-lettered")
    func redisRestartCostsNoAttempt() async throws {
        let privateRedis = try PrivateRedis()
        let configuration = try RedisConfiguration(url: privateRedis.url)
        let connection = RedisConnection(configuration: configuration)
        let producer = StreamProducer(redis: RedisConnection(configuration: configuration), producer: "test")
        let log = HandledLog()
        try await publish(600, on: stream, redis: connection)
        try await withWorkers([worker("a", redis: configuration, reclaimIdle: .milliseconds(500), maxDeliveries: 1, concurrency: 4) { delivery in
            let message = try delivery.decode(TestMessage.self)
            try await producer.publish(TestMessage(number: message.number, payload: "echo"), on: stream + ".out", trace: delivery.envelope.trace)
            log.record(message.idempotencyKey)
        }]) {
            try await eventually("some progress") { log.distinct > 100 }
            try privateRedis.restart()
            try await eventually("progress after the first restart") { log.distinct > 300 }
            try privateRedis.restart()
            try? await eventually(timeout: .seconds(120), "all 600 handled") { log.distinct == 600 }
            try? await eventually("nothing pending") { (try? await connection.xpending(stream, group: "g").count) == 0 }
        }
        let letters = try await RedisConnection.connect(configuration).xrange(stream + ".dlq")
        #expect(letters.isEmpty, "dead letters: \(letters.compactMap { $0.fields["dlq_error"] })")
        #expect(log.distinct == 600)
    }

    @Test("a handler that fails while the service stops leaves its entry pending, even on its last allowed delivery")
    func failureAtShutdownIsNoDeadLetter() async throws {
        struct GaveUp: Error {}
        let started = Atomic<Bool>(false)
        try await publish(1, on: stream, redis: redis)
        try await withWorkers([worker("a", maxDeliveries: 1) { _ in
            started.store(true, ordering: .relaxed)
            while !Task.isShuttingDownGracefully { try await Task.sleep(for: .milliseconds(20)) }
            throw GaveUp()
        }]) {
            try await eventually("the handler to start") { started.load(ordering: .relaxed) }
        }
        #expect(try await redis.xlen(stream + ".dlq") == 0)
        #expect(try await pendingCount() == 1)
    }

    @Test("after FLUSHALL the worker recreates its group and keeps consuming")
    func recreatesGroup() async throws {
        let privateRedis = try PrivateRedis()
        let configuration = try RedisConfiguration(url: privateRedis.url)
        let connection = try await RedisConnection.connect(configuration)
        let log = HandledLog()
        try await publish(10, on: stream, redis: connection)
        try await withWorkers([worker("a", redis: configuration) { delivery in log.record(try delivery.decode(TestMessage.self).idempotencyKey) }]) {
            try await eventually("first ten") { log.distinct == 10 }
            try await connection.command("FLUSHALL")
            try await Task.sleep(for: .milliseconds(300))
            try await publish(10, on: stream, first: 10, redis: connection)
            try await eventually("ten more after the flush") { log.distinct == 20 }
        }
    }

    @Test("Redis restarted mid-run: the worker reconnects and every message is handled")
    func survivesRedisRestart() async throws {
        let privateRedis = try PrivateRedis()
        let configuration = try RedisConfiguration(url: privateRedis.url)
        let connection = RedisConnection(configuration: configuration)
        let log = HandledLog()
        try await publish(2000, on: stream, redis: connection)
        try await withWorkers([worker("a", redis: configuration, concurrency: 4) { delivery in
            try await Task.sleep(for: .milliseconds(2))
            log.record(try delivery.decode(TestMessage.self).idempotencyKey)
        }]) {
            try await eventually("some progress") { log.distinct > 200 }
            try privateRedis.restart()
            try await eventually(timeout: .seconds(120), "all 2000 handled") { log.distinct == 2000 }
            try await eventually("nothing pending") { (try? await connection.xpending(stream, group: "g").count) == 0 }
        }
        #expect(log.distinct == 2000)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}
