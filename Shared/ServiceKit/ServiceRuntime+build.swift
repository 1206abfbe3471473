import Contracts
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle
import Streams

/// A service put together but not running yet: its HTTP application, and the start-up steps,
/// stream workers and background services that run beside it.
///
/// Tests drive `application` in-process with HummingbirdTesting (`application.test(.router)`),
/// the very routes the running service serves, without a socket or a second process.
public struct BuiltService: Service, CustomStringConvertible {
    public let application: Application<RouterResponder<BasicRequestContext>>
    let startup: StartupService
    let logger: Logger
    let shutdownTimeout: Duration
    public let name: String

    // ServiceLifecycle logs services by description; the default would dump the configuration.
    public var description: String { "BuiltService(\(name))" }

    /// Serves until SIGTERM or SIGINT, then stops reading, drains in-flight work and returns.
    public func run() async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: application, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: startup, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = shutdownTimeout
        Gauge(label: "starstream_service_info", dimensions: [("service", name), ("consumer", ConsumerName.current)]).record(1)
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            // The process then exits non-zero; say why in the log, where operators look.
            logger.error("stopped on an error", metadata: ["error": "\(error)"])
            throw error
        }
        logger.info("stopped")
    }
}

extension ServiceRuntime {
    /// Builds the HTTP application, the workers and the start-up sequence from what the
    /// service declared; nothing runs until `run()`.
    public func build() -> BuiltService {
        let gate = DependencyGate(checks: checks)
        let workers = consumers.compactMap { consumer -> StreamWorker? in
            var worker = configuration.worker(stream: consumer.stream, group: consumer.group)
            if let concurrency = consumer.concurrency { worker.concurrency = concurrency }
            switch consumer.handling {
            case nil:
                return nil
            case .single(let handler):
                return StreamWorker(
                    configuration: worker, redis: configuration.redis, logger: logger, pauseWhile: { await gate.blockingReason() },
                    classify: DependencyFailures.classify, handler: handler)
            case .batch(let handler):
                if let batchSize = consumer.batchSize { worker.batchSize = max(1, batchSize) }
                worker.concurrency = 2 * worker.batchSize
                return StreamWorker(
                    configuration: worker, redis: configuration.redis, logger: logger, pauseWhile: { await gate.blockingReason() },
                    classify: DependencyFailures.classify, batchHandler: handler)
            }
        }
        let state = StartupState()
        let application = makeHTTPServer(state: state, workers: workers)
        // Every stream the directory says this service reads gets its group now, handler or not,
        // so that messages published before the handler exists wait for it.
        var groups = consumers.map { (stream: $0.stream, group: $0.group) }
        for stream in ServiceDirectory.entry(service)?.consumes ?? [] where !groups.contains(where: { $0 == (stream, service) }) {
            groups.append((stream, service))
        }
        logger.info("starting", metadata: ["consumer": .string(ConsumerName.current), "redis": .string(configuration.redis.displayEndpoint)])
        return BuiltService(
            application: application, startup: StartupService(runtime: self, state: state, workers: workers, groups: groups),
            logger: logger, shutdownTimeout: configuration.shutdownTimeout, name: service)
    }
}
