import Contracts
import Foundation
import Logging
import Redis

/// Re-classification after a new model: a background job per pipeline (spectra, arXiv) that
/// classifies what is already stored again with the models now loaded, so that live accuracy,
/// the API and the dashboard speak for the current model; the replaced answers stay in the
/// history. One job per pipeline across replicas (a Redis lease); a model that arrives during
/// a pass makes the job run another pass when it ends; a pass that fails (a store down) is
/// retried with back-off. Progress is served at `GET /api/reclassification`.
actor Reclassification {
    struct Counts: Codable, Sendable, Equatable {
        var examined = 0
        var reclassified = 0
        /// Spectra stored before the classifier kept their vectors: they keep their answer.
        var withoutVector = 0

        enum CodingKeys: String, CodingKey { case examined, reclassified, withoutVector = "without_vector" }
    }

    /// One pipeline's job as served.
    struct Progress: Codable, Sendable {
        enum State: String, Codable, Sendable {
            case running, finished, retrying
            /// Another replica holds the lease and does the work.
            case elsewhere
        }

        var pipeline: String
        var state: State
        /// The models the current (or last) pass classifies with.
        var models: [String]
        var passes: Int
        var counts: Counts
        /// Classified documents of the pipeline when the pass began (how far `examined` goes).
        var total: Int?
        var startedAt: Date
        var finishedAt: Date?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case pipeline, state, models, passes, counts, total, startedAt = "started_at", finishedAt = "finished_at", error
        }
    }

    /// What a pipeline's job needs: the models it must reach, one pass, and the pipeline's size.
    struct Pipeline: Sendable {
        var name: String
        var models: @Sendable () async -> [String]
        var pass: @Sendable (_ progress: @escaping @Sendable (Counts) async throws -> Void) async throws -> Counts
        var total: @Sendable () async throws -> Int
    }

    private let redis: RedisConnection
    private let owner: String
    private let logger: Logger
    private let leaseMilliseconds = 60_000
    private var progress: [String: Progress] = [:]
    private var running: Set<String> = []
    private var again: Set<String> = []

    init(redis: RedisConnection, owner: String = UUID().uuidString, logger: Logger) {
        (self.redis, self.owner, self.logger) = (redis, owner, logger)
    }

    var all: [Progress] {
        progress.values.sorted { $0.pipeline < $1.pipeline }
    }

    /// Starts the pipeline's job in the background, or, if it runs, has it pass once more.
    func start(_ pipeline: Pipeline) {
        guard !running.contains(pipeline.name) else {
            again.insert(pipeline.name)
            return
        }
        running.insert(pipeline.name)
        Task { await self.run(pipeline) }
    }

    private func run(_ pipeline: Pipeline) async {
        var delay = Duration.seconds(2)
        var passes = 0
        while !Task.isCancelled {
            again.remove(pipeline.name)
            let models = await pipeline.models()
            var current = Progress(
                pipeline: pipeline.name, state: .running, models: models, passes: passes, counts: Counts(), total: nil, startedAt: Date())
            do {
                guard try await acquire(pipeline.name) else {
                    // Another replica works (or a lapsed lease of this one's earlier life waits
                    // to expire): try again once a lease could have lapsed. A pass after the
                    // other's finds everything current and only reads.
                    current.state = .elsewhere
                    progress[pipeline.name] = current
                    try await Task.sleep(for: .milliseconds(leaseMilliseconds))
                    continue
                }
                current.total = try await pipeline.total()
                progress[pipeline.name] = current
                logger.info("re-classification started", metadata: ["pipeline": "\(pipeline.name)", "models": "\(models.joined(separator: ","))"])
                let name = pipeline.name
                let counts = try await pipeline.pass { counts in try await self.advance(name, counts) }
                passes += 1
                current.counts = counts
                current.passes = passes
                current.state = .finished
                current.finishedAt = Date()
                progress[pipeline.name] = current
                logger.info("re-classification finished", metadata: [
                    "pipeline": "\(pipeline.name)", "models": "\(models.joined(separator: ","))", "examined": "\(counts.examined)",
                    "reclassified": "\(counts.reclassified)", "without_vector": "\(counts.withoutVector)",
                ])
                delay = .seconds(2)
                await release(pipeline.name)
                // Asked again, or a model installed meanwhile (the pass ran partly with the
                // older one): checked after the release, so a request during it is not lost.
                let newer = await pipeline.models() != models
                if again.contains(pipeline.name) || newer { continue }
                running.remove(pipeline.name)
                return
            } catch is CancellationError {
                break
            } catch {
                current.state = .retrying
                current.error = "\(error)"
                progress[pipeline.name] = current
                logger.warning("re-classification failed; retrying", metadata: [
                    "pipeline": "\(pipeline.name)", "error": "\(error)", "retry_in_s": "\(delay.components.seconds)",
                ])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(60))
            }
        }
        await release(pipeline.name)
        running.remove(pipeline.name)
    }

    struct LeaseLost: Error, CustomStringConvertible {
        var pipeline: String
        var description: String { "the \(pipeline) re-classification lease lapsed and another replica holds it" }
    }

    private func advance(_ pipeline: String, _ counts: Counts) async throws {
        progress[pipeline]?.counts = counts
        // Each page renews the lease, only while it is ours: a pass whose lease lapsed stops
        // (and is retried) rather than run beside the replica that took it.
        let renewed = try await redis.command(
            "EVAL", "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end",
            "1", Self.leaseKey(pipeline), owner, String(leaseMilliseconds))
        guard renewed.int == 1 else { throw LeaseLost(pipeline: pipeline) }
        if counts.examined % 5000 < 500 {
            logger.info("re-classification progress", metadata: [
                "pipeline": "\(pipeline)", "examined": "\(counts.examined)", "total": "\(progress[pipeline]?.total ?? 0)",
                "reclassified": "\(counts.reclassified)",
            ])
        }
    }

    private static func leaseKey(_ pipeline: String) -> String { "classifier:reclassification:\(pipeline)" }

    /// The lease, if free or already ours.
    private func acquire(_ pipeline: String) async throws -> Bool {
        let key = Self.leaseKey(pipeline)
        if try await redis.command("SET", key, owner, "NX", "PX", String(leaseMilliseconds)).string == "OK" { return true }
        guard try await redis.command("GET", key).string == owner else { return false }
        _ = try await redis.command("PEXPIRE", key, String(leaseMilliseconds))
        return true
    }

    /// Deletes the lease if it is still ours (compare and delete in one step).
    private func release(_ pipeline: String) async {
        _ = try? await redis.command(
            "EVAL", "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end",
            "1", Self.leaseKey(pipeline), owner)
    }
}
