import Logging
import Redis
import ServiceLifecycle

extension StreamWorker {
    /// Runs the handler on one entry until it succeeds, fails for a reason of the message's
    /// own, or the service stops; acknowledges, leaves pending or dead-letters accordingly.
    func process(_ entry: StreamEntry, deliveries: Int, control: RedisConnection) async {
        var logger = logger
        logger[metadataKey: "message_id"] = .string(entry.id)
        logger[metadataKey: "attempt"] = .stringConvertible(deliveries)
        let envelope: Envelope
        do {
            envelope = try Envelope(entry: entry)
        } catch {
            await deadLetter(entry, reason: error.description, deliveries: deliveries, control: control, logger: logger)
            return
        }
        logger[metadataKey: "trace"] = .string(envelope.trace)
        logger[metadataKey: "type"] = .string(envelope.type)
        let delivery = Delivery(stream: configuration.stream, entryId: entry.id, envelope: envelope, deliveries: deliveries, logger: logger)
        var dependencyFailures = 0
        defer { dependencyWaits.withLock { $0[entry.id] = nil } }
        let clock = ContinuousClock()
        while true {
            let started = clock.now
            do {
                try await handler(delivery)
                let elapsed = clock.now - started
                metrics.duration.recordNanoseconds(Int64(elapsed.inSeconds * 1e9))
                metrics.processed.increment()
                counters.withLock { $0.processed += 1 }
                acks.add(entry.id)
                wakeup.signal()
                if dependencyFailures > 0 { logger.info("handled after the dependency came back", metadata: ["dependency_failures": "\(dependencyFailures)"]) }
                logger.debug("handled", metadata: ["duration_s": "\(elapsed.inSeconds)"])
                return
            } catch {
                let permanent = error is any NonRetryableError
                // The service's own flag, or the shutdown itself: a handler that cancels its work on
                // graceful shutdown (`cancelWhenGracefulShutdown`) may fail before the flag is set.
                if stopping.load(ordering: .relaxed) || Task.isShuttingDownGracefully, !permanent {
                    // A handler that gave up because the service is stopping (a wait it abandoned, a
                    // call cut short) says nothing about the message: another consumer takes it.
                    logger.info("handler stopped at shutdown; the entry stays pending for another consumer", metadata: ["error": "\(error)"])
                    await withdrawAttempt(entry, deliveries: deliveries, control: control, logger: logger)
                    return
                }
                if !permanent, classify(error) == .dependency, await !blamesMessage(error, failures: dependencyFailures, control: control, logger: logger) {
                    dependencyFailures += 1
                    guard await waitForDependency(entry, error: error, failures: dependencyFailures, logger: logger) else {
                        await withdrawAttempt(entry, deliveries: deliveries, control: control, logger: logger)
                        return
                    }
                    // During a Redis outage another replica may have reclaimed it: then it is theirs.
                    guard await stillOurs(entry, control: control, logger: logger) else { return }
                    continue
                }
                await failed(entry, error: error, permanent: permanent, deliveries: deliveries, elapsed: clock.now - started, control: control, logger: logger)
                return
            }
        }
    }

    /// Runs the batch handler once on the entries of one read; acknowledges them all when it
    /// returns. When it throws, each entry is handled again alone, with the whole of `process`'s
    /// rules (dependency waits in place, attempts counted, dead letters), so that one bad entry
    /// costs its neighbours one extra attempt at most, never a delivery.
    func process(batch entries: [StreamEntry], handler: BatchHandler, control: RedisConnection) async {
        var deliveries: [Delivery] = []
        var accepted: [StreamEntry] = []
        for entry in entries {
            var logger = logger
            logger[metadataKey: "message_id"] = .string(entry.id)
            logger[metadataKey: "attempt"] = .stringConvertible(1)
            do {
                let envelope = try Envelope(entry: entry)
                logger[metadataKey: "trace"] = .string(envelope.trace)
                logger[metadataKey: "type"] = .string(envelope.type)
                deliveries.append(Delivery(stream: configuration.stream, entryId: entry.id, envelope: envelope, deliveries: 1, logger: logger))
                accepted.append(entry)
            } catch {
                await deadLetter(entry, reason: error.description, deliveries: 1, control: control, logger: logger)
            }
        }
        guard !deliveries.isEmpty else { return }
        let clock = ContinuousClock()
        let started = clock.now
        do {
            try await handler(deliveries)
            let elapsed = clock.now - started
            acks.add(accepted.map(\.id))
            wakeup.signal()
            // One handler call: one observation of its duration (each entry waited that long).
            metrics.duration.recordNanoseconds(Int64(elapsed.inSeconds * 1e9))
            metrics.processed.increment(by: accepted.count)
            metrics.batches.increment()
            counters.withLock { $0.processed += accepted.count }
            logger.debug("handled a batch", metadata: ["entries": "\(accepted.count)", "duration_s": "\(elapsed.inSeconds)"])
        } catch {
            if stopping.load(ordering: .relaxed) || Task.isShuttingDownGracefully, !(error is any NonRetryableError) {
                // Given up because the service is stopping: says nothing about the entries, which
                // stay pending, uncounted, for another consumer (as a single entry's would).
                logger.info("batch stopped at shutdown; its entries stay pending for another consumer", metadata: ["entries": "\(accepted.count)", "error": "\(error)"])
                for entry in accepted { await withdrawAttempt(entry, deliveries: 1, control: control, logger: logger) }
                return
            }
            metrics.batchesSplit.increment()
            logger.info("a batch failed; handling its entries one by one", metadata: ["entries": "\(accepted.count)", "error": "\(error)"])
            // A few at a time: one waiting for its dependency does not hold up the others, and a
            // hundred do not all start over at once.
            await withTaskGroup(of: Void.self) { group in
                var rest = accepted[...]
                for _ in 0..<min(8, rest.count) {
                    let entry = rest.removeFirst()
                    group.addTask { await self.process(entry, deliveries: 1, control: control) }
                }
                while await group.next() != nil, let entry = rest.popFirst() {
                    group.addTask { await self.process(entry, deliveries: 1, control: control) }
                }
            }
        }
    }

    /// True when a failure that looks like a dependency's has happened often enough while every
    /// dependency answers (the gate sees none down, Redis answers a PING): the message itself
    /// breaks the connection, and the failure is counted like any other, so it cannot stall the
    /// worker for ever.
    private func blamesMessage(_ error: any Error, failures: Int, control: RedisConnection, logger: Logger) async -> Bool {
        guard failures >= (error as? any PatientDependencyError)?.retriesBeforeBlame ?? dependencyRetriesBeforeBlame else { return false }
        if await pauseReason?() != nil { return false }
        do {
            try await control.command("PING")
        } catch {
            return false
        }
        logger.warning("every dependency answers, yet this entry keeps failing as if one were down: counted as its own failure", metadata: [
            "error": "\(error)", "dependency_failures": "\(failures)",
        ])
        return true
    }

    /// Whether this consumer still owns the entry; when Redis cannot say, assume so (the next
    /// attempt finds out).
    private func stillOurs(_ entry: StreamEntry, control: RedisConnection, logger: Logger) async -> Bool {
        do {
            let owner = try await control.xpending(configuration.stream, group: configuration.group, start: entry.id, end: entry.id, count: 1).first?.consumer
            guard let owner, owner != configuration.consumer else { return true }
            logger.info("another consumer took the entry over while we waited; leaving it to them", metadata: ["owner": .string(owner)])
            return false
        } catch {
            metrics.swallowedErrors.increment()
            logger.info("could not ask Redis who holds the entry; trying it again", metadata: ["error": "\(error)"])
            return true
        }
    }

    /// Sleeps before the next in-place attempt (0.2 s doubling to 5 s) while reads stay paused;
    /// false when the service began stopping meanwhile.
    private func waitForDependency(_ entry: StreamEntry, error: any Error, failures: Int, logger: Logger) async -> Bool {
        metrics.dependencyRetries.increment()
        dependencyWaits.withLock { $0[entry.id] = "\(error)" }
        let delay = min(Duration.seconds(5), .milliseconds(200) * (1 << min(failures - 1, 5)))
        // Said on the first failure and then now and again, not at every back-off step.
        if failures == 1 || failures % 10 == 0 {
            logger.warning("handler waits for a dependency; retrying in place, not counted as an attempt", metadata: [
                "error": "\(error)", "dependency_failures": "\(failures)", "retry_in_s": "\(delay.inSeconds)",
            ])
        }
        let deadline = ContinuousClock.now + delay
        while ContinuousClock.now < deadline {
            if stopping.load(ordering: .relaxed) { return false }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return !stopping.load(ordering: .relaxed)
    }

    /// The message's own failure: dead-lettered when permanent or out of attempts, else left
    /// pending (with its error recorded) for a later attempt.
    private func failed(
        _ entry: StreamEntry, error: any Error, permanent: Bool, deliveries: Int, elapsed: Duration, control: RedisConnection, logger: Logger
    ) async {
        metrics.failed.increment()
        counters.withLock { $0.failed += 1 }
        // Recorded first: if moving it to the dead letters fails now, whoever moves it later names the error.
        do {
            try await ledger.failed(entry.id, error: "\(error)", redis: control)
        } catch {
            metrics.swallowedErrors.increment()
            logger.warning("could not record the handler's error; a later dead letter will not name it", metadata: ["error": "\(error)"])
        }
        if permanent || deliveries >= configuration.maxDeliveries {
            await deadLetter(entry, reason: "\(error)", deliveries: deliveries, control: control, logger: logger)
            return
        }
        logger.warning("handler failed; the entry stays pending for another attempt", metadata: [
            "error": "\(error)", "duration_s": "\(elapsed.inSeconds)",
            "retry_after_s": "\(configuration.reclaimIdle.inSeconds)",
        ])
    }

    /// Takes back the attempt of an entry given up for reasons not its own, so that the next
    /// one has the same number (a first attempt, never written down, goes to -1 and back to 0).
    private func withdrawAttempt(_ entry: StreamEntry, deliveries: Int, control: RedisConnection, logger: Logger) async {
        do {
            try await ledger.withdraw(entry.id, redis: control)
        } catch {
            metrics.swallowedErrors.increment()
            logger.warning("could not withdraw the attempt; it will count once", metadata: ["error": "\(error)"])
        }
    }

    func deadLetter(_ entry: StreamEntry, reason: String, deliveries: Int, control: RedisConnection, logger: Logger) async {
        do {
            try await DeadLetters.move(entry, reason: reason, deliveries: deliveries, configuration: configuration, redis: control)
            metrics.deadLettered.increment()
            counters.withLock { $0.deadLettered += 1 }
            logger.error("moved to dead-letter stream", metadata: ["dlq": .string(configuration.deadLetterStream), "error": .string(reason)])
        } catch {
            // Left pending: a later reclaim dead-letters it again.
            metrics.swallowedErrors.increment()
            logger.error("could not dead-letter; entry stays pending", metadata: ["error": "\(error)", "reason": .string(reason)])
        }
    }
}
