import Metrics

/// The Prometheus series of one worker, labelled by stream and group.
struct StreamMetrics: Sendable {
    let processed: Counter
    let failed: Counter
    let deadLettered: Counter
    let reclaimed: Counter
    /// Handler attempts that met an unreachable dependency and were retried in place.
    let dependencyRetries: Counter
    /// Batches a batch handler committed whole, and batches it failed (their entries then handled one by one).
    let batches: Counter
    let batchesSplit: Counter
    /// The worker's own Redis calls (acknowledgements, heartbeats, gauges, attempt records) that
    /// failed: each is logged and tried again later, none is silent.
    let swallowedErrors: Counter
    let duration: Metrics.Timer
    let lag: Gauge
    let pending: Gauge
    let inFlight: Gauge

    init(stream: String, group: String) {
        let labels = [("stream", stream), ("group", group)]
        processed = Counter(label: "starstream_messages_processed_total", dimensions: labels)
        failed = Counter(label: "starstream_messages_failed_total", dimensions: labels)
        deadLettered = Counter(label: "starstream_messages_dead_lettered_total", dimensions: labels)
        reclaimed = Counter(label: "starstream_messages_reclaimed_total", dimensions: labels)
        dependencyRetries = Counter(label: "starstream_handler_dependency_retries_total", dimensions: labels)
        batches = Counter(label: "starstream_batches_total", dimensions: labels)
        batchesSplit = Counter(label: "starstream_batches_split_total", dimensions: labels)
        swallowedErrors = Counter(label: "starstream_worker_redis_errors_total", dimensions: labels)
        duration = Metrics.Timer(label: "starstream_handler_duration_seconds", dimensions: labels, preferredDisplayUnit: .seconds)
        lag = Gauge(label: "starstream_stream_lag", dimensions: labels)
        pending = Gauge(label: "starstream_stream_pending", dimensions: labels)
        inFlight = Gauge(label: "starstream_messages_in_flight", dimensions: labels)
    }
}
