import Foundation
import Logging
import Redis
import ServiceLifecycle
import Streams
import Synchronization

/// A message type for runtime tests.
struct TestMessage: StreamMessage, Equatable {
    static let stream = "test"
    static let type = "test.message"
    static let version = 1
    var number: Int
    var payload: String
    var idempotencyKey: String { "test-\(number)" }
}

/// What handlers did, per idempotency key.
final class HandledLog: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func record(_ key: String) { counts.withLock { $0[key, default: 0] += 1 } }
    var snapshot: [String: Int] { counts.withLock { $0 } }
    var distinct: Int { counts.withLock { $0.count } }
}

/// Runtime logs in tests: silent unless `TEST_LOG_LEVEL` (e.g. `debug`) asks for them.
let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
    return logger
}()

/// Publishes `count` test messages numbered from `first`.
func publish(_ count: Int, on stream: String, first: Int = 0, payload: (Int) -> String = { _ in "ok" }, redis: RedisConnection) async throws {
    let producer = StreamProducer(redis: redis, producer: "test")
    for chunk in stride(from: first, to: first + count, by: 500) {
        let batch = (chunk..<min(chunk + 500, first + count)).map { TestMessage(number: $0, payload: payload($0)) }
        try await producer.publish(batch: batch, on: stream)
    }
}

/// Runs `workers` in a service group for the length of `body`, then shuts them down gracefully.
func withWorkers<T: Sendable>(_ workers: [StreamWorker], _ body: @Sendable () async throws -> T) async throws -> T {
    try await withServices(workers, body)
}

/// Runs `services` in a service group for the length of `body`, then shuts them down gracefully.
func withServices<T: Sendable>(_ services: [any Service], _ body: @Sendable () async throws -> T) async throws -> T {
    let group = ServiceGroup(configuration: .init(services: services, logger: quietLogger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
    }
}

/// A redis-server of the test's own (AOF on, fsync always), so it can be restarted mid-test.
///
/// Spawned with `posix_spawn` and reaped with `waitpid`: Foundation's `Process.waitUntilExit`
/// spins a run loop that never wakes when called from a deinit on the cooperative pool.
final class PrivateRedis: Sendable {
    let port: Int
    let directory: String
    private let pid = Mutex<pid_t?>(nil)

    init() throws {
        directory = try makeTemporaryDirectory("redis")
        // A free port can be taken by another test's process before this server binds it:
        // then the server exits at once, and another port is tried.
        var attempts = 0
        while true {
            let candidate = try freePort()
            if let child = try Self.launch(port: candidate, directory: directory) {
                port = candidate
                pid.withLock { $0 = child }
                return
            }
            attempts += 1
            guard attempts < 5 else { throw TestFailure(text: "redis-server found no free port in 5 tries; see \(directory)/redis.log") }
        }
    }

    var url: String { "redis://127.0.0.1:\(port)/0" }

    /// Starts the server again on its port (after `stop()`).
    func start() throws {
        guard let child = try Self.launch(port: port, directory: directory) else {
            throw TestFailure(text: "redis-server could not bind port \(port) again; see \(directory)/redis.log")
        }
        pid.withLock { $0 = child }
    }

    /// The server's pid once it answers on `port`; nil when it exited first (the port was taken).
    private static func launch(port: Int, directory: String) throws -> pid_t? {
        let arguments = [
            "redis-server", "--bind", "127.0.0.1", "--port", String(port), "--dir", directory, "--appendonly", "yes",
            "--appendfsync", "always", "--save", "", "--logfile", directory + "/redis.log",
        ]
        let child = try spawnQuietly(arguments, path: "/usr/bin/redis-server")
        for _ in 0..<100 {
            var status: Int32 = 0
            // Exited: it did not get the port (whoever answers there is not this server).
            if waitpid(child, &status, WNOHANG) == child { return nil }
            if (try? socketConnects(port: port)) == true { return child }
            usleep(50_000)
        }
        kill(child, SIGKILL)
        throw TestFailure(text: "redis-server on port \(port) did not start; see \(directory)/redis.log")
    }

    /// Stops the server (it has written every command to its AOF) and waits for it to exit.
    func stop() {
        guard let child = pid.withLock({ pid in defer { pid = nil }; return pid }) else { return }
        kill(child, SIGTERM)
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
    }

    func restart() throws {
        stop()
        try start()
    }

    deinit { stop() }
}

func freePort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

func socketConnects(port: Int) throws -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = UInt16(port).bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

/// The classifier's `GET /api/reclassification` entries, as tests read them.
struct ReclassificationJob: Decodable {
    struct Counts: Decodable { var examined: Int; var reclassified: Int; var without_vector: Int }
    var pipeline: String
    var state: String
    var models: [String]
    var counts: Counts
}
