import Logging
import Metrics
import Prometheus
import Synchronization

/// The registry `/metrics` serves; swift-metrics is bootstrapped onto it once per process.
public let prometheusRegistry = PrometheusCollectorRegistry()

private let bootstrapped = Mutex((logging: false, metrics: false))

/// Installs JSON logging and Prometheus metrics for `service`, once per process, and returns
/// the service's root logger.
public func bootstrapObservability(service: String, level: Logger.Level, json: Bool) -> Logger {
    let (logging, metrics) = bootstrapped.withLock { state in
        defer { state = (true, true) }
        return (!state.logging, !state.metrics)
    }
    if logging {
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, service: service, level: level, json: json) }
    }
    if metrics {
        var factory = PrometheusMetricsFactory(registry: prometheusRegistry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
            .seconds(10), .seconds(30), .seconds(60),
        ]
        MetricsSystem.bootstrap(factory)
    }
    var logger = Logger(label: service)
    logger.logLevel = level
    return logger
}
