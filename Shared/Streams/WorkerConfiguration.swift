import Foundation

/// How one stream worker reads, retries and gives up.
public struct WorkerConfiguration: Sendable {
    public var stream: String
    public var group: String
    /// Unique per process (`host-pid`), so that `--scale` adds consumers, not collisions.
    public var consumer: String
    /// Entries read per `XREADGROUP`.
    public var batchSize: Int
    /// Handlers running at once in this process.
    public var concurrency: Int
    /// How long one read waits for new entries; also bounds how long shutdown waits for a read.
    public var blockTime: Duration
    /// An entry unacknowledged this long is taken over by another consumer (`XAUTOCLAIM`).
    public var reclaimIdle: Duration
    /// After this many deliveries an entry goes to `<stream>.dlq`.
    public var maxDeliveries: Int
    public var deadLetterMaxLength: Int
    /// How often lag and pending gauges are refreshed.
    public var gaugeInterval: Duration

    public init(
        stream: String, group: String, consumer: String = ConsumerName.current, batchSize: Int = 100,
        concurrency: Int = 8, blockTime: Duration = .seconds(1), reclaimIdle: Duration = .seconds(30),
        maxDeliveries: Int = 5, deadLetterMaxLength: Int = 100_000, gaugeInterval: Duration = .seconds(5)
    ) {
        self.stream = stream
        self.group = group
        self.consumer = consumer
        self.batchSize = max(1, batchSize)
        self.concurrency = max(1, concurrency)
        self.blockTime = blockTime
        self.reclaimIdle = reclaimIdle
        self.maxDeliveries = max(1, maxDeliveries)
        self.deadLetterMaxLength = deadLetterMaxLength
        self.gaugeInterval = gaugeInterval
    }

    /// The dead-letter stream of `stream`.
    public var deadLetterStream: String { stream + ".dlq" }

    /// Reads never block longer than half the reclaim idle time, so reclaiming keeps its pace.
    var effectiveBlockTime: Duration { min(blockTime, max(.milliseconds(50), reclaimIdle / 2)) }
}

/// The consumer name of this process.
public enum ConsumerName {
    public static let current: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self) : "host"
        return "\(host)-\(getpid())"
    }()
}
