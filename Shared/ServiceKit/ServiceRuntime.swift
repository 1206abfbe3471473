import Contracts
import Foundation
import Hummingbird
import Logging
import Metrics
import Mongo
import Postgres
import Redis
import ServiceLifecycle
import Streams

/// Everything a Starstream service is made of: configuration, logging, metrics, the HTTP
/// endpoints, its storage, and its stream workers. A service's `main` declares what it uses
/// and what it consumes, then calls `run()` (or `build()`, for a test to drive the routes in-process):
///
///     var runtime = try ServiceRuntime(service: "cataloger")
///     let database = runtime.usePostgres(migrator)
///     runtime.consume(StreamName.spectraDownloaded) { delivery in … }
///     try await runtime.run()
public struct ServiceRuntime: Sendable {
    public let configuration: ServiceConfiguration
    public let logger: Logger
    /// A connection for publishing and queries; workers open their own.
    public let redis: RedisConnection
    public let producer: StreamProducer
    /// The base URL other services reach this one at (see `AdvertisedURL`).
    public let advertisedURL: AdvertisedURL
    var checks: [ReadinessCheck] = []
    var startupSteps: [(name: String, run: @Sendable () async throws -> Void)] = []
    var consumers: [Consumer] = []
    var routeBuilders: [@Sendable (Router<BasicRequestContext>) -> Void] = []
    var services: [any Service] = []

    public var service: String { configuration.service }

    /// Reads the environment and sets up logging and metrics. Throws `ConfigurationError`
    /// naming the first bad variable.
    public init(service: String, environment: EnvironmentReader = EnvironmentReader()) throws {
        configuration = try ServiceConfiguration(service: service, environment: environment)
        logger = bootstrapObservability(service: service, level: configuration.logLevel, json: configuration.logFormat == "json")
        redis = RedisConnection(configuration: configuration.redis)
        producer = StreamProducer(redis: redis, producer: service, maxLength: configuration.streamMaxLength)
        advertisedURL = AdvertisedURL(configured: configuration.publicURL, httpHost: configuration.httpHost)
        let redis = redis
        checks.append(ReadinessCheck(name: "redis", gatesWorkers: false) { try await redis.command("PING") })
    }

    /// A PostgreSQL pool on `DATABASE_URL`; the service's schema is migrated at start-up.
    public mutating func usePostgres(_ migrator: SchemaMigrator, poolSize: Int = 4) -> PostgresPool {
        let pool = PostgresPool(url: Self.withConnectTimeout(configuration.databaseURL), size: poolSize)
        checks.append(ReadinessCheck(name: "postgres", gatesWorkers: true) { try await pool.ping() })
        let logger = logger
        onStartup("migrate schema \(migrator.schema)") {
            let applied = try await migrator.migrate(pool)
            if !applied.isEmpty { logger.info("migrated schema", metadata: ["schema": .string(migrator.schema), "versions": "\(applied)"]) }
        }
        return pool
    }

    /// A MongoDB client on `MONGO_URI`; `prepare` (indexes) runs at start-up.
    public mutating func useMongo(prepare: @escaping @Sendable (MongoClient) async throws -> Void = { _ in }) throws -> MongoClient {
        let client: MongoClient
        do {
            client = try MongoClient(uri: configuration.mongoURI, appName: service)
        } catch {
            throw ConfigurationError(variable: "MONGO_URI", value: configuration.mongoURI, expected: "a MongoDB URI (\(error))")
        }
        checks.append(ReadinessCheck(name: "mongo", gatesWorkers: true) { try await client.ping() })
        onStartup("connect to mongo and prepare collections") {
            try await client.ping()
            try await prepare(client)
        }
        return client
    }

    /// Consumes `stream` in the group named after this service (or `group`), with at most
    /// `concurrency` handlers at once (default: `WORKER_CONCURRENCY`; 1 for commands that must run alone).
    public mutating func consume(_ stream: String, group: String? = nil, concurrency: Int? = nil, handler: @escaping StreamHandler) {
        consumers.append(Consumer(stream: stream, group: group ?? service, concurrency: concurrency, handling: .single(handler)))
    }

    /// Consumes `stream` a read at a time: up to `batchSize` entries (default `WORKER_BATCH_SIZE`)
    /// go to `handler` together, and up to two batches are in flight, so that the next is read
    /// while one commits. A batch that throws is handled again entry by entry (see `BatchHandler`).
    public mutating func consumeBatch(_ stream: String, group: String? = nil, batchSize: Int? = nil, handler: @escaping BatchHandler) {
        consumers.append(Consumer(stream: stream, group: group ?? service, batchSize: batchSize, handling: .batch(handler)))
    }

    /// Reads every entry of `stream` in every replica (no consumer group; see `StreamSubscription`),
    /// for announcements each replica must act on.
    public mutating func subscribe(_ stream: String, handler: @escaping StreamSubscription.Handler) {
        services.append(StreamSubscription(stream: stream, redis: configuration.redis, logger: logger, handler: handler))
    }

    /// Creates this service's group on `stream` without consuming yet, so that messages wait
    /// for the handler instead of being lost.
    public mutating func createGroup(_ stream: String, group: String? = nil) {
        consumers.append(Consumer(stream: stream, group: group ?? service, handling: nil))
    }

    /// Runs `step` before the workers start, retrying while a dependency is unreachable.
    public mutating func onStartup(_ name: String, _ step: @escaping @Sendable () async throws -> Void) {
        startupSteps.append((name, step))
    }

    /// Adds service-specific HTTP routes beside `/livez`, `/readyz` and `/metrics`.
    public mutating func routes(_ build: @escaping @Sendable (Router<BasicRequestContext>) -> Void) {
        routeBuilders.append(build)
    }

    /// Adds a long-running service (a poller, a scheduler) started after start-up.
    public mutating func addService(_ service: any Service) {
        services.append(service)
    }

    /// Serves until SIGTERM or SIGINT, then stops reading, drains in-flight work and returns.
    public func run() async throws {
        try await build().run()
    }

    /// libpq waits forever for an unreachable host unless told otherwise.
    static func withConnectTimeout(_ url: String) -> String {
        guard url.contains("://"), !url.contains("connect_timeout") else { return url }
        return url + (url.contains("?") ? "&" : "?") + "connect_timeout=5"
    }
}

/// Runs the start-up steps (retrying while dependencies are down), creates the consumer
/// groups, then runs the workers and extra services until shutdown.
struct StartupService: Service, CustomStringConvertible {
    let runtime: ServiceRuntime
    let state: StartupState
    let workers: [StreamWorker]
    let groups: [(stream: String, group: String)]

    // ServiceLifecycle logs services by description; the default would dump the environment.
    var description: String { "StartupService(\(runtime.service))" }

    func run() async throws {
        let logger = runtime.logger
        let redis = runtime.redis
        var steps = runtime.startupSteps
        for (stream, group) in groups {
            steps.append(("create consumer group \(group) on \(stream)", { try await redis.xgroupCreate(stream, group: group) }))
        }
        for step in steps {
            var attempt = 0
            while true {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                do {
                    try await step.run()
                    break
                } catch where Self.isTransient(error) {
                    attempt += 1
                    let delay = min(Duration.seconds(10), .milliseconds(250) * (1 << min(attempt, 6)))
                    state.waiting(for: "\(step.name): \(error)")
                    logger.warning("start-up waits for a dependency", metadata: [
                        "step": .string(step.name), "error": "\(error)", "retry_in_s": "\(delay.inSeconds)",
                    ])
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                }
            }
        }
        state.finished()
        Gauge(label: "starstream_service_started", dimensions: [("service", runtime.service)]).record(1)
        logger.info("ready", metadata: ["workers": "\(workers.map(\.configuration.stream))"])
        let services: [any Service] = workers + runtime.services
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            try await group.waitForAll()
        }
        // A service with nothing to consume yet still serves HTTP until it is told to stop.
        try? await gracefulShutdown()
    }

    /// Unreachable servers are worth waiting for; a bad migration or a bad setting is not.
    static func isTransient(_ error: any Error) -> Bool {
        DependencyFailures.isUnavailable(error)
    }
}
