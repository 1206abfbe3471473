import ArgumentParser
import Foundation
import Redis
import ServiceKit
import Streams

/// A stand-in worker and producer for exercising the stream runtime from outside: the
/// runtime tests start, kill and signal it as they would a real service.
@main
struct StreamProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-probe",
        abstract: "Produce test messages, or consume them with a controllable handler (runtime tests).",
        subcommands: [Consume.self, Produce.self])
}

/// The message the probe sends.
struct ProbeMessage: StreamMessage, Equatable {
    static let stream = "probe"
    static let type = "probe.message"
    static let version = 1
    var number: Int
    var payload: String
    var idempotencyKey: String { "probe-\(number)" }
}

struct Consume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Consume a stream with the real runtime (config from the environment).")

    @Option(help: "Stream to read.") var stream: String
    @Option(help: "Consumer group.") var group = "probe"
    @Option(help: "Redis key prefix where the handler records what it did.") var record: String
    @Option(help: "Milliseconds each handler sleeps (a slow job).") var delayMs = 0
    @Option(help: "Fail (throw) when the body contains this text.") var failWhen: String?
    @Option(help: "Fail with a non-retryable error when the body contains this text.") var rejectWhen: String?

    func run() async throws {
        var runtime = try ServiceRuntime(service: "stream-probe")
        let redis = runtime.redis
        let (record, delay, failWhen, rejectWhen) = (record, delayMs, failWhen, rejectWhen)
        runtime.consume(stream, group: group) { delivery in
            let message = try delivery.decode(ProbeMessage.self)
            try await redis.command("SADD", "\(record):started", message.idempotencyKey)
            if delay > 0 { try await Task.sleep(for: .milliseconds(delay)) }
            if let failWhen, message.payload.contains(failWhen) { throw ProbeFailure(text: "refusing \(message.idempotencyKey)") }
            if let rejectWhen, message.payload.contains(rejectWhen) { throw ProbeRejection(text: "rejecting \(message.idempotencyKey)") }
            // The effect: counted per message, so tests can tell "once" from "at least once".
            try await redis.command("HINCRBY", "\(record):count", message.idempotencyKey, "1")
        }
        try await runtime.run()
    }
}

struct ProbeFailure: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}

struct ProbeRejection: Error, CustomStringConvertible, NonRetryableError {
    var text: String
    var description: String { text }
}

struct Produce: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Publish numbered probe messages.")

    @Option(help: "Stream to write.") var stream: String
    @Option(help: "How many messages.") var count = 10
    @Option(help: "First message number.") var first = 0
    @Option(help: "Payload of every message.") var payload = "ok"

    func run() async throws {
        let configuration = try RedisConfiguration(url: ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:6379")
        let redis = try await RedisConnection.connect(configuration)
        let producer = StreamProducer(redis: redis, producer: "stream-probe")
        let messages = (first..<(first + count)).map { ProbeMessage(number: $0, payload: payload) }
        for chunk in stride(from: 0, to: messages.count, by: 500) {
            try await producer.publish(batch: Array(messages[chunk..<min(chunk + 500, messages.count)]), on: stream)
        }
        print("published \(count) messages on \(stream)")
    }
}
