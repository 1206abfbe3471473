import BlockingIO
import Foundation
import Logging
import Redis
import ServiceLifecycle
import Synchronization

/// Consumes one stream as one member of a consumer group, at least once.
///
/// - Reads in batches (`XREADGROUP … COUNT n BLOCK t`) on a connection of its own and runs up
///   to `concurrency` handlers at once.
/// - Acknowledges only after a handler returns, batching the `XACK`s.
/// - Takes over entries other consumers left idle (`XAUTOCLAIM`), keeps its own long-running
///   entries from being taken (`XCLAIM … JUSTID`), and moves an entry to `<stream>.dlq` when it
///   is malformed, fails with a `NonRetryableError`, or has been attempted `maxDeliveries` times
///   (counted by `AttemptLedger`: the message's own failures and dead consumers, never outages).
/// - Retries a handler that failed because a dependency is unreachable in place, with back-off,
///   and reads nothing new meanwhile: an outage never dead-letters a good entry.
/// - Recreates its group after a Redis flush or restart (`NOGROUP`) and reconnects with back-off.
/// - On graceful shutdown stops reading, lets in-flight handlers finish, acknowledges them, and returns.
public final class StreamWorker: Service, Sendable {
    public let configuration: WorkerConfiguration
    let redis: RedisConfiguration
    let handler: StreamHandler
    /// Set for a worker that handles the entries of one read together (`handler` is then a batch of one).
    let batchHandler: BatchHandler?
    let classify: FailureClassifier
    let ledger: AttemptLedger
    let logger: Logger
    let pauseReason: (@Sendable () async -> String?)?
    let metrics: StreamMetrics
    let acks = AckBuffer()
    /// Wakes the control loop when there is something to acknowledge, or the read loop is done.
    let wakeup = Wakeup()
    let inFlight: InFlight
    let stopping = Atomic<Bool>(false)
    let drained = Atomic<Bool>(false)
    let counters = Mutex(WorkerStatus(stream: "", group: "", consumer: "", processed: 0, failed: 0, deadLettered: 0, reclaimed: 0, inFlight: 0))
    /// Entries whose handlers are waiting for a dependency, with the error each last saw.
    let dependencyWaits = Mutex<[String: String]>([:])
    /// After this many in-place retries with every dependency answering, a "dependency" failure
    /// is the message's own (one whose write makes Redis drop the connection, say), and counts.
    let dependencyRetriesBeforeBlame = 5

    /// - Parameter pauseWhile: asked before each read; a non-nil answer (a dependency is down)
    ///   pauses reading, so that messages wait in Redis instead of failing toward the dead-letter stream.
    /// - Parameter classify: tells a dependency's failure from the message's own (default: Redis' only).
    public convenience init(
        configuration: WorkerConfiguration, redis: RedisConfiguration, logger: Logger,
        pauseWhile: (@Sendable () async -> String?)? = nil, classify: @escaping FailureClassifier = FailureClassifiers.redis,
        handler: @escaping StreamHandler
    ) {
        self.init(configuration: configuration, redis: redis, logger: logger, pauseWhile: pauseWhile, classify: classify, handler: handler, batch: nil)
    }

    /// A worker that hands the entries of each read to `batchHandler` together (at most
    /// `configuration.batchSize`, and only as many as there are free slots of `concurrency`).
    public convenience init(
        configuration: WorkerConfiguration, redis: RedisConfiguration, logger: Logger,
        pauseWhile: (@Sendable () async -> String?)? = nil, classify: @escaping FailureClassifier = FailureClassifiers.redis,
        batchHandler: @escaping BatchHandler
    ) {
        self.init(
            configuration: configuration, redis: redis, logger: logger, pauseWhile: pauseWhile, classify: classify,
            handler: { try await batchHandler([$0]) }, batch: batchHandler)
    }

    private init(
        configuration: WorkerConfiguration, redis: RedisConfiguration, logger: Logger,
        pauseWhile: (@Sendable () async -> String?)?, classify: @escaping FailureClassifier,
        handler: @escaping StreamHandler, batch: BatchHandler?
    ) {
        self.configuration = configuration
        self.redis = redis
        self.handler = handler
        batchHandler = batch
        self.classify = classify
        ledger = AttemptLedger(configuration: configuration)
        self.pauseReason = pauseWhile
        var logger = logger
        logger[metadataKey: "stream"] = .string(configuration.stream)
        logger[metadataKey: "group"] = .string(configuration.group)
        self.logger = logger
        metrics = StreamMetrics(stream: configuration.stream, group: configuration.group)
        inFlight = InFlight(capacity: configuration.concurrency)
        counters.withLock {
            $0.stream = configuration.stream
            $0.group = configuration.group
            $0.consumer = configuration.consumer
        }
    }

    public var status: WorkerStatus { counters.withLock { $0 } }

    public func run() async throws {
        let reader = RedisConnection(configuration: connectionConfiguration(role: "reader"))
        let control = RedisConnection(configuration: connectionConfiguration(role: "control"))
        // Heartbeats and acknowledgements keep time on a thread of their own: handlers holding
        // every cooperative thread for a while (CPU-bound work, a busy test process) must not
        // delay a heartbeat past the reclaim idle time and let another consumer take the entry.
        let controlThread = DedicatedThreadTaskExecutor(name: "stream control \(configuration.stream)")
        defer { controlThread.shutdown() }
        logger.info("worker started", metadata: ["consumer": .string(configuration.consumer)])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask(executorPreference: controlThread) { await self.controlLoop(control) }
                await self.readLoop(reader: reader, control: control, group: &group)
                await self.inFlight.waitUntilEmpty()
                self.drained.store(true, ordering: .sequentiallyConsistent)
                self.wakeup.signal()
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .sequentiallyConsistent)
        }
        await removeConsumerIfIdle(control)
        logger.info("worker stopped", metadata: ["processed": .stringConvertible(status.processed)])
    }

    // MARK: - Reading

    private func readLoop(reader: RedisConnection, control: RedisConnection, group: inout DiscardingTaskGroup) async {
        let clock = ContinuousClock()
        var nextReclaim = clock.now
        var groupReady = false
        var failures = 0
        var paused = false
        // Our own pending history, read at start and after every failed read: entries Redis
        // delivered to us whose reply we may never have received (connection lost mid-reply).
        var historyCursor: String? = "0-0"
        while !stopping.load(ordering: .relaxed), !Task.isCancelled {
            if let reason = await readPauseReason() {
                if !paused { logger.warning("pausing reads: \(reason)") }
                paused = true
                counters.withLock { $0.paused = reason }
                try? await Task.sleep(for: .seconds(1))
                continue
            } else if paused {
                paused = false
                counters.withLock { $0.paused = nil }
                logger.info("resuming reads")
            }
            do {
                if !groupReady {
                    if try await control.xgroupCreate(configuration.stream, group: configuration.group) {
                        logger.info("created consumer group")
                    }
                    groupReady = true
                }
                // Our own history first: after a reconnect, entries whose read reply was lost are
                // ours to resume, not a dead consumer's for a reclaim to count against them.
                if historyCursor == nil, clock.now >= nextReclaim {
                    try await reclaim(control, group: &group)
                    nextReclaim = clock.now + max(.milliseconds(50), configuration.reclaimIdle / 2)
                }
                let free = await inFlight.waitForFreeSlots()
                if stopping.load(ordering: .relaxed) { break }
                // A handler may have met an outage while we waited for its slot: pause first.
                if !dependencyWaits.withLock(\.isEmpty) { continue }
                if let cursor = historyCursor {
                    historyCursor = try await recoverHistory(after: cursor, free: free, reader: reader, control: control, group: &group)
                    continue
                }
                let entries = try await reader.xreadgroup(
                    group: configuration.group, consumer: configuration.consumer, stream: configuration.stream,
                    count: min(configuration.batchSize, free), block: configuration.effectiveBlockTime)
                if failures > 0 {
                    logger.info("stream reads recovered")
                    counters.withLock { $0.redisError = nil }
                }
                failures = 0
                if let batchHandler, entries.count > 1 {
                    await start(batch: entries, handler: batchHandler, control: control, group: &group)
                } else {
                    for entry in entries { await start(entry, deliveries: 1, control: control, group: &group) }
                }
            } catch let error as RedisError where error.serverCode == "NOGROUP" {
                logger.warning("consumer group is gone (Redis flushed or restarted?); recreating it")
                groupReady = false
            } catch {
                failures += 1
                historyCursor = "0-0"
                let delay = min(Duration.seconds(5), .milliseconds(100) * (1 << min(failures - 1, 6)))
                counters.withLock { $0.redisError = "\(error)" }
                logger.warning("stream read failed, retrying", metadata: ["error": "\(error)", "retry_in_s": "\(delay.inSeconds)"])
                try? await Task.sleep(for: delay)
            }
        }
    }

    /// Why reading should wait: a dependency the gate sees down, or a handler waiting for one
    /// (new entries would only fail the same way, and the back-off would be for nothing).
    private func readPauseReason() async -> String? {
        if let waiting = dependencyWaits.withLock({ $0.values.first }) {
            return "a handler waits for a dependency: \(waiting)"
        }
        return await pauseReason?()
    }

    /// Restarts the next few entries of our own pending history; returns where to continue, nil when done.
    private func recoverHistory(
        after cursor: String, free: Int, reader: RedisConnection, control: RedisConnection, group: inout DiscardingTaskGroup
    ) async throws -> String? {
        acks.pendingReadStarts()
        let entries = try await reader.xreadgroup(
            group: configuration.group, consumer: configuration.consumer, stream: configuration.stream,
            count: min(configuration.batchSize, free), id: cursor)
        guard let last = entries.last else { return nil }
        var fresh: [StreamEntry] = []
        for entry in entries where await isNew(entry) { fresh.append(entry) }
        // Entries delivered before a reconnect: attempted again (a reply lost before any
        // handler started also counts once; that is rare and errs on the safe side).
        let counts = try await ledger.retrying(fresh.map(\.id), redis: control)
        if !fresh.isEmpty { logger.info("resuming \(fresh.count) entries delivered to this consumer before a reconnect") }
        for entry in fresh { await start(entry, deliveries: counts[entry.id] ?? 1, control: control, group: &group) }
        return last.id
    }

    private func start(_ entry: StreamEntry, deliveries: Int, control: RedisConnection, group: inout DiscardingTaskGroup) async {
        guard await inFlight.begin(entry.id) else { return }
        counters.withLock { $0.inFlight += 1 }
        group.addTask {
            await self.process(entry, deliveries: deliveries, control: control)
            self.counters.withLock { $0.inFlight -= 1 }
            await self.inFlight.end(entry.id)
        }
    }

    /// Starts one task for the entries of one read (first deliveries all); entries already in
    /// flight here are left to their handlers.
    private func start(batch entries: [StreamEntry], handler: @escaping BatchHandler, control: RedisConnection, group: inout DiscardingTaskGroup) async {
        let ids = Set(await inFlight.begin(entries.map(\.id)))
        let taken = entries.filter { ids.contains($0.id) }
        guard !taken.isEmpty else { return }
        counters.withLock { $0.inFlight += taken.count }
        group.addTask {
            await self.process(batch: taken, handler: handler, control: control)
            self.counters.withLock { $0.inFlight -= taken.count }
            await self.inFlight.end(taken.map(\.id))
        }
    }

    // MARK: - Reclaiming

    /// Takes over entries idle longer than `reclaimIdle`, whoever held them.
    private func reclaim(_ control: RedisConnection, group: inout DiscardingTaskGroup) async throws {
        var cursor = "0-0"
        repeat {
            let free = await inFlight.free
            guard free > 0 else { return }
            acks.pendingReadStarts()
            let result = try await control.xautoclaim(
                configuration.stream, group: configuration.group, consumer: configuration.consumer,
                minIdle: configuration.reclaimIdle, start: cursor, count: min(configuration.batchSize, free))
            cursor = result.nextCursor
            // Skips what this process is handling or has handled but not yet acknowledged.
            var fresh: [StreamEntry] = []
            for entry in result.entries where await isNew(entry) { fresh.append(entry) }
            // An idle entry's last attempt failed or its consumer died: this one counts.
            let counts = try await ledger.retrying(fresh.map(\.id), redis: control)
            for entry in fresh {
                let attempt = counts[entry.id] ?? 2
                metrics.reclaimed.increment()
                counters.withLock { $0.reclaimed += 1 }
                var logger = logger
                logger[metadataKey: "message_id"] = .string(entry.id)
                logger[metadataKey: "attempt"] = .stringConvertible(attempt)
                if attempt > configuration.maxDeliveries {
                    let lastError: String?
                    do {
                        lastError = try await ledger.lastError(entry.id, redis: control)
                    } catch {
                        metrics.swallowedErrors.increment()
                        logger.warning("could not read the entry's last error", metadata: ["error": "\(error)"])
                        lastError = nil
                    }
                    let reason = "not acknowledged after \(attempt - 1) attempts; last error: "
                        + (lastError ?? "none recorded (the consumer died or timed out)")
                    await deadLetter(entry, reason: reason, deliveries: attempt - 1, control: control, logger: logger)
                } else {
                    logger.info("reclaimed an idle entry")
                    await start(entry, deliveries: attempt, control: control, group: &group)
                }
            }
        } while cursor != "0-0" && !stopping.load(ordering: .relaxed)
    }

    /// False for entries this process is handling, or has handled but not yet acknowledged.
    ///
    /// In-flight is asked first: a handler marks its entry done before it leaves in-flight,
    /// so one finishing between the two questions is still seen (asked the other way round,
    /// it would be neither and be started again).
    func isNew(_ entry: StreamEntry) async -> Bool {
        await isNew(entry, betweenChecks: {})
    }

    /// `betweenChecks` runs between the two questions: the seam through which a test finishes
    /// a handler at the worst moment.
    func isNew(_ entry: StreamEntry, betweenChecks: () async -> Void) async -> Bool {
        if await inFlight.contains(entry.id) { return false }
        await betweenChecks()
        return !acks.isDone(entry.id)
    }

    /// A quarter of the reclaim idle time: a heartbeat that misses (an entry a hair short of the
    /// interval idle, a control loop starved of CPU for a while) still leaves half of it in hand.
    static func heartbeatInterval(_ reclaimIdle: Duration) -> Duration { reclaimIdle / 4 }

    /// Resets the idle time of our own long-running entries so that nobody reclaims them.
    private func heartbeat(_ control: RedisConnection) async throws {
        let age = Self.heartbeatInterval(configuration.reclaimIdle)
        let running = inFlight.running(longerThan: age)
        guard !running.isEmpty else { return }
        try await control.xclaimJustId(configuration.stream, group: configuration.group, consumer: configuration.consumer, minIdle: age, ids: running)
    }

    // MARK: - Acknowledging and gauges

    private func controlLoop(_ control: RedisConnection) async {
        let clock = ContinuousClock()
        var nextGauges = clock.now
        // Heartbeats live here, not in the read loop, which may sit in a blocking read.
        var nextHeartbeat = clock.now + Self.heartbeatInterval(configuration.reclaimIdle)
        var drainDeadline: ContinuousClock.Instant?
        while true {
            let drainedNow = drained.load(ordering: .sequentiallyConsistent)
            let flushed = await flushAcks(control)
            // Cancelled (the service group gave up waiting): one last flush, then out; every
            // wait below would return at once, and the loop would spin.
            if Task.isCancelled { return }
            if drainedNow {
                if acks.isEmpty { return }
                let deadline = drainDeadline ?? clock.now + .seconds(10)
                drainDeadline = deadline
                if clock.now > deadline {
                    logger.warning("giving up acknowledging at shutdown; these entries will be redelivered")
                    return
                }
            }
            if clock.now >= nextHeartbeat {
                do {
                    try await heartbeat(control)
                    nextHeartbeat = clock.now + Self.heartbeatInterval(configuration.reclaimIdle)
                } catch {
                    // Soon again, not a quarter of the idle time later: after a Redis restart the
                    // entries' idle clocks kept running, and another replica would reclaim them.
                    metrics.swallowedErrors.increment()
                    logger.warning("heartbeat failed; retrying shortly", metadata: ["error": "\(error)"])
                    nextHeartbeat = clock.now + .milliseconds(250)
                }
            }
            if clock.now >= nextGauges {
                await updateGauges(control)
                nextGauges = clock.now + configuration.gaugeInterval
            }
            if !flushed {
                // Redis refused the acknowledgements: not again before a pause.
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            // Asleep until a handler finishes (acknowledgements go out at once, and those that
            // finish during a flush go together in the next) or the next heartbeat or gauge is due.
            let next = min(nextHeartbeat, nextGauges)
            await wakeup.wait(timeout: drainedNow ? .milliseconds(200) : max(.milliseconds(10), next - clock.now))
        }
    }

    /// Sends the acknowledgements waiting; false when Redis did not take them (they stay waiting).
    private func flushAcks(_ control: RedisConnection) async -> Bool {
        let ids = acks.take()
        guard !ids.isEmpty else { return true }
        do {
            try await control.xack(configuration.stream, group: configuration.group, ids: ids)
            acks.confirm(ids)
        } catch where error.serverCode == "NOGROUP" {
            acks.confirm(ids)
            logger.warning("dropping \(ids.count) acknowledgements: the group was lost with Redis' data")
        } catch {
            acks.restore(ids)
            metrics.swallowedErrors.increment()
            logger.warning("acknowledgement failed, will retry", metadata: ["error": "\(error)"])
            return false
        }
        return true
    }

    private func updateGauges(_ control: RedisConnection) async {
        let inFlightCount = inFlight.count
        metrics.inFlight.record(inFlightCount)
        counters.withLock { $0.waitingForDependency = dependencyWaits.withLock { $0.values.first } }
        let groups: [StreamGroupInfo]
        do {
            groups = try await control.xinfoGroups(configuration.stream)
        } catch {
            // The gauges keep their last values; the read loop reports Redis' state.
            metrics.swallowedErrors.increment()
            logger.debug("could not refresh lag and pending gauges", metadata: ["error": "\(error)"])
            return
        }
        guard let mine = groups.first(where: { $0.name == configuration.group }) else { return }
        metrics.pending.record(mine.pending)
        if let lag = mine.lag { metrics.lag.record(lag) }
    }

    /// A consumer with nothing pending leaves the group, so `--scale` down leaves no ghosts; one
    /// with entries stays, for them to be reclaimed from it.
    private func removeConsumerIfIdle(_ control: RedisConnection) async {
        do {
            let summary = try await control.xpending(configuration.stream, group: configuration.group)
            guard (summary.consumers[configuration.consumer] ?? 0) == 0 else { return }
            _ = try await control.xgroupDeleteConsumer(configuration.stream, group: configuration.group, consumer: configuration.consumer)
        } catch {
            metrics.swallowedErrors.increment()
            logger.warning("could not remove this consumer from its group; it stays listed, idle", metadata: ["error": "\(error)"])
        }
    }

    private func connectionConfiguration(role: String) -> RedisConfiguration {
        var connection = redis
        connection.clientName = "\(configuration.consumer):\(configuration.group):\(role)"
            .map { $0 == " " ? "_" : $0 }.reduce(into: "") { $0.append($1) }
        return connection
    }
}
