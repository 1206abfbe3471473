import ArgumentParser
import Foundation
import Redis
import Streams

/// Measures produce → consume → acknowledge through the real runtime, in consumer processes
/// of its own, beside `redis-benchmark`'s raw XADD rate on the same server.
///
///     swift run -c release stream-bench --messages 200000
@main
struct StreamBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-bench",
        abstract: "Stream runtime throughput (messages/s) with 1 and 2 consumer processes, against redis-benchmark XADD.",
        subcommands: [Measure.self, BenchConsumer.self], defaultSubcommand: Measure.self)
}

struct Measure: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the benchmark (default).")

    @Option(help: "Messages per run.") var messages = 200_000
    @Option(help: "Consumer process counts to measure (0: the producer alone).") var consumers: [Int] = [0, 1, 2]
    @Option(help: "XREADGROUP COUNT of each consumer.") var batch = 500
    @Option(help: "Handlers in flight per consumer process.") var concurrency = 500
    @Option(help: "Messages per pipelined XADD round trip of the producer.") var produceBatch = 500
    @Option(help: "Redis URL (default: REDIS_URL).") var redisURL = ProcessInfo.processInfo.environment["REDIS_URL"] ?? "redis://127.0.0.1:6379/0"

    func run() async throws {
        let configuration = try RedisConfiguration(url: redisURL)
        guard case .tcp(let host, let port) = configuration.endpoint else { throw BenchError(text: "redis-benchmark needs a TCP Redis URL") }
        let redis = try await RedisConnection.connect(configuration)
        let version = (try await redis.command("INFO", "server").string ?? "")
            .split(separator: "\r\n").first { $0.hasPrefix("redis_version:") }?.dropFirst(14) ?? "?"
        let sample = try BenchMessage.numbered(1).envelope(trace: Envelope.newTrace(), producer: "stream-bench")
        let entryBytes = sample.fields.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count }
        print("stream-bench: \(messages) messages of \(entryBytes) bytes (7 envelope fields), Redis \(version) at \(host):\(port)")
        print("  consumers: XREADGROUP COUNT \(batch), \(concurrency) handlers in flight, batched XACK; producer: \(produceBatch) XADDs per pipeline")
        print("")

        let baseline = RedisBenchmarkBaseline(host: host, port: port, requests: messages)
        let scratch = "bench:raw:\(UInt32.random(in: 0...UInt32.max))"
        let raw = try baseline.xaddRate(stream: scratch, clients: 50, pipeline: 1)
        let rawPipelined = try baseline.xaddRate(stream: scratch, clients: 50, pipeline: 16)
        _ = try await redis.command("DEL", scratch)
        print(row("redis-benchmark XADD, 50 clients, no pipelining (baseline)", raw, nil))
        print(row("redis-benchmark XADD, 50 clients, pipeline 16", rawPipelined, nil))

        for count in consumers where count == 0 {
            let result = try await endToEnd(consumers: 0, batchHandler: false, redis: redis)
            print(row("starstream producer alone (pipelined XADD of envelopes)", result.produce, raw))
        }
        for count in consumers where count > 0 {
            let result = try await endToEnd(consumers: count, batchHandler: false, redis: redis)
            print(row("starstream produce→consume→ack, \(count) consumer process\(count == 1 ? "" : "es")", result.endToEnd, raw))
            print(row("  of which producing alone (pipelined XADD of envelopes)", result.produce, raw))
        }
        // The same with batch handlers (consumeBatch): one handler call per read.
        for count in consumers where count > 0 {
            let result = try await endToEnd(consumers: count, batchHandler: true, redis: redis)
            print(row("starstream produce→consume→ack, batch handler, \(count) process\(count == 1 ? "" : "es")", result.endToEnd, raw))
        }
        print("")
        print("ratio = end-to-end rate / redis-benchmark's unpipelined XADD rate on the same server, same run")
    }

    private func row(_ label: String, _ rate: Double, _ baseline: Double?) -> String {
        let figure = String(format: "%10.0f msg/s", rate)
        let ratio = baseline.map { String(format: "   %5.1f%% of baseline", 100 * rate / $0) } ?? ""
        return label.padding(toLength: 66, withPad: " ", startingAt: 0) + figure + ratio
    }

    /// Starts `consumers` processes, publishes the messages, and times until every one is acknowledged.
    private func endToEnd(consumers: Int, batchHandler: Bool, redis: RedisConnection) async throws -> (endToEnd: Double, produce: Double) {
        let stream = "bench:\(UInt32.random(in: 0...UInt32.max))"
        let group = "bench"
        _ = try await redis.xgroupCreate(stream, group: group)
        defer { Task { [redis] in _ = try? await redis.command("DEL", stream) } }
        let processes = try (0..<consumers).map { _ in try startConsumer(stream: stream, group: group, batchHandler: batchHandler) }
        defer { processes.forEach { $0.terminate() } }
        // Every consumer is connected and blocked in XREADGROUP before the clock starts.
        try await waitUntil("consumers registered") { try await redis.xinfoConsumers(stream, group: group).count == consumers }

        let producer = StreamProducer(redis: redis, producer: "stream-bench")
        let batches = stride(from: 0, to: messages, by: produceBatch).map { (($0)..<min($0 + produceBatch, messages)).map(BenchMessage.numbered) }
        // Timed from here: encoding envelopes, XADD round trips, consuming, acknowledging.
        let clock = ContinuousClock()
        let started = clock.now
        for batch in batches { try await producer.publish(batch: batch, on: stream) }
        let produced = clock.now - started
        try await waitUntil("all acknowledged", poll: .milliseconds(5)) {
            if consumers == 0 { return true }
            guard let mine = try await redis.xinfoGroups(stream).first(where: { $0.name == group }) else { return false }
            return mine.entriesRead == messages && mine.pending == 0
        }
        let elapsed = clock.now - started
        for process in processes { process.terminate() }
        for process in processes { while process.isRunning { try await Task.sleep(for: .milliseconds(10)) } }
        let failures = processes.filter { $0.terminationStatus != 0 }
        if !failures.isEmpty { throw BenchError(text: "\(failures.count) consumer process(es) exited with an error") }
        return (Double(messages) / elapsed.seconds, Double(messages) / produced.seconds)
    }

    private func startConsumer(stream: String, group: String, batchHandler: Bool) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["consume", "--stream", stream, "--group", group, "--batch", String(batch), "--concurrency", String(concurrency), "--redis-url", redisURL]
            + (batchHandler ? ["--batch-handler"] : [])
        try process.run()
        return process
    }

    private func waitUntil(_ what: String, poll: Duration = .milliseconds(20), timeout: Duration = .seconds(600), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: poll)
        }
        throw BenchError(text: "timed out waiting until \(what)")
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
