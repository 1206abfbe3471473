import ArgumentParser
import Foundation
import Logging
import Redis
import ServiceLifecycle
import Streams

/// One consumer process: the real `StreamWorker` with a handler that decodes each message
/// (the work every service handler does first) and does nothing else.
struct BenchConsumer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "consume", abstract: "A benchmark consumer process (started by `run`).")

    @Option var stream: String
    @Option var group: String
    @Option var batch: Int
    @Option var concurrency: Int
    @Option var redisURL: String
    @Flag(help: "Hand each read's entries to one batch handler.") var batchHandler = false

    func run() async throws {
        var logger = Logger(label: "stream-bench")
        logger.logLevel = .warning
        let configuration = WorkerConfiguration(stream: stream, group: group, batchSize: batch, concurrency: concurrency, blockTime: .milliseconds(100))
        let redis = try RedisConfiguration(url: redisURL)
        let worker = batchHandler
            ? StreamWorker(configuration: configuration, redis: redis, logger: logger, batchHandler: { deliveries in
                for delivery in deliveries { _ = try delivery.decode(BenchMessage.self) }
            })
            : StreamWorker(configuration: configuration, redis: redis, logger: logger, handler: { delivery in
                _ = try delivery.decode(BenchMessage.self)
            })
        let services = ServiceGroup(configuration: .init(services: [worker], gracefulShutdownSignals: [.sigterm], logger: logger))
        try await services.run()
    }
}
