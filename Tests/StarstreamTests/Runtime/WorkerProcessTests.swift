import Foundation
import Redis
import Testing

/// The runtime seen from outside, as an operator sees it: real processes (`stream-probe`
/// consumes with the same `ServiceRuntime` as the services), killed and signalled.
@Suite("Worker processes: crashes, shutdown and configuration")
struct WorkerProcessTests {
    let redis: RedisConnection
    let stream = uniqueName("probe")
    let record = uniqueName("record")

    init() async throws {
        redis = try await RedisConnection.connect(RedisConfiguration(url: TestServers.redisURL))
    }

    func consumer(delayMs: Int = 0, environment: [String: String] = [:]) throws -> ServiceProcess {
        try ServiceProcess(
            "stream-probe", arguments: ["consume", "--stream", stream, "--record", record, "--delay-ms", String(delayMs)],
            environment: ["HTTP_PORT": "0", "RECLAIM_IDLE_MS": "1000", "WORKER_BLOCK_MS": "100"].merging(environment) { $1 })
    }

    func produce(_ count: Int) async throws {
        let producer = try ServiceProcess("stream-probe", arguments: ["produce", "--stream", stream, "--count", String(count)])
        #expect(await producer.waitForExit() == 0)
    }

    /// How many times each message's effect was applied.
    func effects() async throws -> [String: Int] {
        let flat = try await redis.command("HGETALL", "\(record):count").array?.compactMap(\.string) ?? []
        return stride(from: 0, to: flat.count, by: 2).reduce(into: [:]) { $0[flat[$1]] = Int(flat[$1 + 1]) }
    }

    func started() async throws -> Int {
        try await redis.command("SCARD", "\(record):started").int ?? 0
    }

    @Test("a consumer killed with SIGKILL mid-handler: another process reclaims its messages and nothing is lost")
    func killedConsumer() async throws {
        try await produce(30)
        let doomed = try consumer(delayMs: 60_000, environment: ["WORKER_CONCURRENCY": "8"])
        try await eventually("the doomed consumer took 8 messages") { try await started() == 8 }
        doomed.signal(SIGKILL)
        #expect(await doomed.waitForExit() != 0)

        let survivor = try consumer()
        try await eventually("all 30 effects applied") { try await effects().count == 30 }
        #expect(try await effects().values.allSatisfy { $0 == 1 })
        try await eventually("nothing pending") { try await redis.xpending(stream, group: "probe").count == 0 }
        survivor.signal(SIGTERM)
        #expect(await survivor.waitForExit() == 0)
    }

    @Test("SIGTERM while handlers run: they finish, are acknowledged, and the process exits 0")
    func gracefulShutdown() async throws {
        try await produce(4)
        let worker = try consumer(delayMs: 1500)
        try await eventually("all four handlers running") { try await started() == 4 }
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit(timeout: .seconds(20)) == 0)
        #expect(try await effects() == ["probe-0": 1, "probe-1": 1, "probe-2": 1, "probe-3": 1])
        #expect(try await redis.xpending(stream, group: "probe").count == 0)
        #expect(worker.lines.contains { $0.contains("\"worker stopped\"") })
    }

    @Test(
        "a bad environment value stops start-up with an error naming the variable",
        arguments: [
            ("WORKER_CONCURRENCY", "lots"), ("REDIS_URL", "http://localhost"), ("HTTP_PORT", "70000"),
            ("LOG_LEVEL", "chatty"), ("DATABASE_URL", "mysql://db"),
        ])
    func badEnvironment(variable: String, value: String) async throws {
        let process = try consumer(environment: [variable: value])
        let status = await process.waitForExit()
        #expect(status != nil && status != 0)
        #expect(process.errorText.contains(variable), "stderr: \(process.errorText)")
        #expect(process.errorText.contains(value))
    }
}
