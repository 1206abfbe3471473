import Foundation
import Redis
import Streams
import Synchronization
import Testing

@Suite("Stream runtime: batch handlers take the entries of one read together")
struct BatchWorkerTests {
    let redis: RedisConnection
    let redisConfiguration: RedisConfiguration
    let stream = uniqueName("batch")

    init() async throws {
        redisConfiguration = try RedisConfiguration(url: TestServers.redisURL)
        redis = try await RedisConnection.connect(redisConfiguration)
    }

    /// What a batch handler committed: the sizes of the batches it was given, and each entry it
    /// committed. A batch is all or nothing, like one transaction.
    final class Commits: Sendable {
        private let state = Mutex<(batches: [[Int]], committed: [Int: Int])>(([], [:]))
        func attempt(_ numbers: [Int]) { state.withLock { $0.batches.append(numbers) } }
        func commit(_ numbers: [Int]) { state.withLock { for number in numbers { $0.committed[number, default: 0] += 1 } } }
        var batches: [[Int]] { state.withLock(\.batches) }
        var committed: [Int: Int] { state.withLock(\.committed) }
    }

    func worker(
        _ consumer: String, batchSize: Int = 10, maxDeliveries: Int = 3, reclaimIdle: Duration = .milliseconds(300), handler: @escaping BatchHandler
    ) -> StreamWorker {
        StreamWorker(
            configuration: WorkerConfiguration(
                stream: stream, group: "g", consumer: consumer, batchSize: batchSize, concurrency: 2 * batchSize,
                blockTime: .milliseconds(200), reclaimIdle: reclaimIdle, maxDeliveries: maxDeliveries),
            redis: redisConfiguration, logger: quietLogger, batchHandler: handler)
    }

    /// Adds `messages` in one MULTI/EXEC, so that they appear together and one read takes them all.
    func publishAtOnce(_ messages: [TestMessage]) async throws {
        let adds = try messages.map {
            RedisConnection.xaddArguments(stream, fields: try $0.envelope(trace: Envelope.newTrace(), producer: "test").fields, maxLength: nil, id: "*")
        }
        _ = try await redis.pipeline([["MULTI"]] + adds + [["EXEC"]])
    }

    @Test("""
        the ten entries of one read reach the handler as one batch; when its third entry throws, the batch is handled \
        again entry by entry: the other nine commit once each and only the third is dead-lettered, after maxDeliveries, with its error
        """)
    func poisonInABatch() async throws {
        let commits = Commits()
        let handler: BatchHandler = { deliveries in
            let messages = try deliveries.map { try $0.decode(TestMessage.self) }
            commits.attempt(messages.map(\.number))
            if let poison = messages.first(where: { $0.payload == "poison" }) {
                throw TestFailure(text: "cannot digest message \(poison.number)")
            }
            commits.commit(messages.map(\.number))
        }
        try await withWorkers([worker("a", handler: handler)]) {
            try await eventually("the group exists") { (try? await redis.xinfoGroups(stream))?.isEmpty == false }
            try await publishAtOnce((0..<10).map { TestMessage(number: $0, payload: $0 == 2 ? "poison" : "ok") })
            try await eventually("nine committed") { commits.committed.count == 9 }
            try await eventually("one dead letter") { try await redis.xlen(stream + ".dlq") == 1 }
        }
        #expect(commits.batches.first == Array(0..<10), "\(commits.batches)")
        #expect(commits.committed == Dictionary(uniqueKeysWithValues: (0..<10).filter { $0 != 2 }.map { ($0, 1) }))
        // The failed batch, then three attempts of the poison entry alone.
        #expect(commits.batches.filter { $0 == [2] }.count == 3, "\(commits.batches)")
        let letter = try #require(try await redis.xrange(stream + ".dlq").first)
        #expect(letter.fields["dlq_error"] == "cannot digest message 2")
        #expect(letter.fields["dlq_deliveries"] == "3")
        #expect(try await redis.xpending(stream, group: "g").count == 0)
    }

    @Test("an entry without an envelope is dead-lettered from its batch at once; the rest reach the handler together")
    func malformedInABatch() async throws {
        let commits = Commits()
        let handler: BatchHandler = { deliveries in
            let numbers = try deliveries.map { try $0.decode(TestMessage.self).number }
            commits.attempt(numbers)
            commits.commit(numbers)
        }
        try await withWorkers([worker("a", handler: handler)]) {
            try await eventually("the group exists") { (try? await redis.xinfoGroups(stream))?.isEmpty == false }
            let good = try (0..<4).map { try TestMessage(number: $0, payload: "ok").envelope(trace: Envelope.newTrace(), producer: "test").fields }
            let adds = (good.prefix(2) + [[("garbage", "no envelope here")]] + good.suffix(2)).map {
                RedisConnection.xaddArguments(stream, fields: $0, maxLength: nil, id: "*")
            }
            _ = try await redis.pipeline([["MULTI"]] + adds + [["EXEC"]])
            try await eventually("four committed") { commits.committed.count == 4 }
            try await eventually("one dead letter") { try await redis.xlen(stream + ".dlq") == 1 }
        }
        #expect(commits.batches == [[0, 1, 2, 3]])
        let letter = try #require(try await redis.xrange(stream + ".dlq").first)
        #expect(letter.fields["garbage"] == "no envelope here" && letter.fields["dlq_deliveries"] == "1")
        #expect(try await redis.xpending(stream, group: "g").count == 0)
    }

    @Test("batches never exceed the batch size, and 1,000 entries are each committed exactly once")
    func manyBatches() async throws {
        let commits = Commits()
        let handler: BatchHandler = { deliveries in
            let numbers = try deliveries.map { try $0.decode(TestMessage.self).number }
            commits.attempt(numbers)
            try await Task.sleep(for: .milliseconds(5))
            commits.commit(numbers)
        }
        try await publish(1000, on: stream, redis: redis)
        // Reclaiming slower than a loaded machine may take to acknowledge: this is about batches, not takeovers.
        let workers = ["a", "b"].map { worker($0, batchSize: 50, reclaimIdle: .seconds(10), handler: handler) }
        try await withWorkers(workers) {
            try await eventually("1000 committed") { commits.committed.count == 1000 }
            try await eventually("none pending") { try await redis.xpending(stream, group: "g").count == 0 }
        }
        #expect(commits.committed.values.allSatisfy { $0 == 1 })
        #expect(commits.batches.allSatisfy { $0.count <= 50 })
        #expect(commits.batches.count < 100, "\(commits.batches.count) batches for 1,000 entries read 50 at a time")
    }
}
