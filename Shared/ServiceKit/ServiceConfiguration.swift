import Contracts
import Foundation
import Logging
import Redis
import Streams

/// The settings every service shares, read from the environment (see the README's table).
public struct ServiceConfiguration: Sendable {
    public var service: String
    public var redis: RedisConfiguration
    public var redisURL: String
    public var databaseURL: String
    public var mongoURI: String
    public var httpHost: String
    public var httpPort: Int
    /// `PUBLIC_URL`: the base URL other services reach this one at, when the bound address is not it.
    public var publicURL: String?
    public var logLevel: Logger.Level
    public var logFormat: String
    /// Where the service keeps its own files (`DATA_DIR`, default `.local/data/<service>`).
    public var dataDirectory: String
    public var batchSize: Int
    public var concurrency: Int
    public var blockTime: Duration
    public var reclaimIdle: Duration
    public var maxDeliveries: Int
    public var streamMaxLength: Int
    public var shutdownTimeout: Duration
    public var environment: EnvironmentReader

    /// Reads the configuration of `service`; throws a `ConfigurationError` naming the first bad variable.
    public init(service: String, environment: EnvironmentReader = EnvironmentReader()) throws {
        self.service = service
        self.environment = environment
        redisURL = environment.string("REDIS_URL", default: "redis://127.0.0.1:6379/0")
        do {
            redis = try RedisConfiguration(url: redisURL)
        } catch {
            throw ConfigurationError(variable: "REDIS_URL", value: redisURL, expected: "redis://[user:password@]host[:port][/db] (\(error))")
        }
        databaseURL = environment.string("DATABASE_URL", default: "postgresql://starstream@127.0.0.1:5432/starstream")
        guard databaseURL.hasPrefix("postgres://") || databaseURL.hasPrefix("postgresql://") || databaseURL.contains("=") else {
            throw ConfigurationError(variable: "DATABASE_URL", value: databaseURL, expected: "postgresql://user@host:port/database")
        }
        mongoURI = environment.string("MONGO_URI", default: "mongodb://127.0.0.1:27017/starstream")
        guard mongoURI.hasPrefix("mongodb://") || mongoURI.hasPrefix("mongodb+srv://") else {
            throw ConfigurationError(variable: "MONGO_URI", value: mongoURI, expected: "mongodb://host:port/database")
        }
        httpHost = environment.string("HTTP_HOST", default: "127.0.0.1")
        httpPort = try environment.int("HTTP_PORT", default: ServiceDirectory.defaultPort(of: service), range: 0...65535)
        let publicURL = environment.string("PUBLIC_URL", default: "")
        guard publicURL.isEmpty || publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://") else {
            throw ConfigurationError(variable: "PUBLIC_URL", value: publicURL, expected: "http://host:port (how other services reach this one)")
        }
        self.publicURL = publicURL.isEmpty ? nil : publicURL
        let level = environment.string("LOG_LEVEL", default: "info").lowercased()
        guard let parsedLevel = Logger.Level(rawValue: level) else {
            throw ConfigurationError(variable: "LOG_LEVEL", value: level, expected: "trace, debug, info, notice, warning, error or critical")
        }
        logLevel = parsedLevel
        logFormat = try environment.choice("LOG_FORMAT", default: "json", among: ["json", "text"])
        dataDirectory = environment.string("DATA_DIR", default: ".local/data/\(service)")
        batchSize = try environment.int("WORKER_BATCH_SIZE", default: 100, range: 1...10_000)
        concurrency = try environment.int("WORKER_CONCURRENCY", default: 8, range: 1...1024)
        blockTime = try environment.milliseconds("WORKER_BLOCK_MS", default: .seconds(1), range: 10...60_000)
        reclaimIdle = try environment.milliseconds("RECLAIM_IDLE_MS", default: .seconds(30), range: 50...86_400_000)
        maxDeliveries = try environment.int("MAX_DELIVERIES", default: 5, range: 1...1000)
        streamMaxLength = try environment.int("STREAM_MAXLEN", default: 1_000_000, range: 1000...1_000_000_000)
        shutdownTimeout = .seconds(try environment.int("SHUTDOWN_TIMEOUT_S", default: 30, range: 1...3600))
        redis.clientName = "\(service)-\(ConsumerName.current)"
    }

    /// A worker configuration for `stream` in `group`, with this service's settings.
    public func worker(stream: String, group: String) -> WorkerConfiguration {
        WorkerConfiguration(
            stream: stream, group: group, batchSize: batchSize, concurrency: concurrency, blockTime: blockTime,
            reclaimIdle: reclaimIdle, maxDeliveries: maxDeliveries)
    }
}
