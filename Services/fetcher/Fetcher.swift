import Contracts
import Foundation
import HTTPClient
import Logging
import ServiceKit
import Streams
import Synchronization

/// Handles one fetch request: list each plan, skip what was fetched before, download the rest
/// round-robin across plans with bounded concurrency, and announce each file when it is on disk
/// (as served by this replica's `GET /files/<plan>/<file>`).
struct Fetcher: Sendable {
    let ledger: DownloadLedger
    /// Told of each file recorded, so that serving it needs no query.
    let served: ServedFiles
    let producer: StreamProducer
    let http: HTTPClient
    /// Files land in `<directory>/<plan>/<file>` (written to `.part`, verified, renamed).
    let directory: String
    let concurrency: Int
    let maxFileSize: Int
    /// This replica's base URL: files are announced as served from it.
    let advertisedURL: AdvertisedURL

    @Sendable func handle(_ delivery: Delivery) async throws {
        let request = try delivery.decode(SpectraFetchRequest.self)
        let logger = delivery.logger
        if request.inPlace == true, !request.baseURL.hasPrefix("file://") {
            throw InPlaceNeedsLocalFiles(baseURL: request.baseURL)
        }
        var pending: [(plan: String, files: [String])] = []
        var alreadyFetched = 0
        // A misspelt plan does not cost the others: they are fetched, then the request is rejected naming it.
        var unknownPlans: [String] = []
        // A plan named twice is fetched once (its files would otherwise wait on their own locks).
        var seen: Set<String> = []
        for plan in request.plans where seen.insert(plan).inserted {
            let listed: [String]
            do {
                listed = try await PlanListing.files(baseURL: request.baseURL, plan: plan, http: http)
            } catch let error as HTTPClientError {
                guard case .status(_, 404, _) = error else { throw error }
                unknownPlans.append(plan)
                continue
            } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
                unknownPlans.append(plan)
                continue
            }
            let files = request.limitPerPlan.map { Array(listed.prefix($0)) } ?? listed
            try await ledger.listed(baseURL: request.baseURL, plan: plan, files: files.count)
            let done = try await ledger.completedFiles(plan: plan)
            alreadyFetched += files.filter(done.contains).count
            pending.append((plan, files.filter { !done.contains($0) }))
        }
        let order = PlanListing.roundRobin(pending)
        logger.info("fetch started", metadata: [
            "request": .string(request.requestId), "plans": .stringConvertible(request.plans.count),
            "to_download": .stringConvertible(order.count), "already_fetched": .stringConvertible(alreadyFetched),
        ])

        let progress = Progress(total: order.count)
        var failures: [String] = []
        var batch = Announcements(trace: delivery.envelope.trace)
        try await withThrowingTaskGroup(of: Outcome.self) { group in
            var next = order.makeIterator()
            var running = 0
            func startNext() -> Bool {
                guard let (plan, file) = next.next() else { return false }
                running += 1
                group.addTask { try await fetch(plan: plan, file: file, request: request, logger: logger) }
                return true
            }
            // The batch's clock, apart from the downloads: files whose locks another request's
            // unannounced batch holds wait for that batch's flush, and would otherwise never
            // finish to make anyone flush.
            func tick() { group.addTask { try? await Task.sleep(for: .milliseconds(250)); return .tick } }
            for _ in 0..<concurrency where !startNext() { break }
            if running > 0 { tick() }
            while let outcome = try await group.next() {
                switch outcome {
                case .tick:
                    if batch.isDue { try await batch.flush(producer: producer, ledger: ledger, served: served) }
                    if running > 0 { tick() }
                    continue
                case .skipped: break
                case .failed(let failure): failures.append(failure)
                case .downloaded(let file): batch.files.append(file)
                }
                running -= 1
                if batch.isDue { try await batch.flush(producer: producer, ledger: ledger, served: served) }
                if let line = progress.advance() { logger.info("fetch progress", metadata: ["done": "\(line.done)", "total": "\(line.total)"]) }
                // Every file done: the clock's last tick is not waited for.
                if !startNext(), running == 0 { group.cancelAll() }
            }
        }
        try await batch.flush(producer: producer, ledger: ledger, served: served)
        for (plan, _) in pending where !failures.contains(where: { $0.hasPrefix(plan + "/") }) {
            try await ledger.planCompleted(baseURL: request.baseURL, plan: plan)
        }
        logger.info("fetch finished", metadata: [
            "request": .string(request.requestId), "downloaded": .stringConvertible(order.count - failures.count),
            "failed": .stringConvertible(failures.count),
        ])
        // Thrown after the others are done: the redelivery retries only what failed.
        if !failures.isEmpty { throw FilesFailed(failures: failures, unknownPlans: unknownPlans) }
        if !unknownPlans.isEmpty { throw UnknownPlans(plans: unknownPlans, baseURL: request.baseURL) }
    }

    /// Downloads one file; a failure is returned, not thrown, so one bad file does not stop the others.
    private func fetch(plan: String, file: String, request: SpectraFetchRequest, logger: Logger) async throws -> Outcome {
        let base = request.baseURL.hasSuffix("/") ? String(request.baseURL.dropLast()) : request.baseURL
        let url = "\(base)/\(plan)/\(file)"
        let folder = "\(directory)/\(plan)"
        let path = "\(folder)/\(file)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // Another request or replica fetching this file finishes first; then it is done here too.
            let lock = try await FileLock.acquire("\(directory)/.locks/\(plan)/\(file).lock")
            if try await ledger.isCompleted(plan: plan, file: file) { return .skipped }
            let result: DownloadResult
            if request.inPlace == true {
                // Read where it lies: checksummed, recorded with its own path, served from there.
                let source = String(url.dropFirst("file://".count))
                if let problem = Self.notASpectrum(source) {
                    logger.warning("local file rejected", metadata: ["url": .string(url), "error": .string(problem)])
                    return .failed("\(plan)/\(file): \(problem)")
                }
                result = try await http.digest(ofLocalFile: source)
                if result.bytes > maxFileSize {
                    logger.warning("local file rejected", metadata: ["url": .string(url), "error": "larger than FETCH_MAX_FILE_MB"])
                    return .failed("\(plan)/\(file): \(result.bytes) bytes, more than FETCH_MAX_FILE_MB allows")
                }
            } else {
                // A file at `path` that the ledger does not know is downloaded again: it may be an
                // earlier copy of something else (nothing compares it with the source).
                result = try await http.download(url, to: path, maxSize: maxFileSize)
                if let problem = Self.notASpectrum(path) {
                    // An error page served with status 200, say: gone, so that the next attempt fetches it again.
                    unlink(path)
                    logger.warning("download rejected", metadata: ["url": .string(url), "error": .string(problem)])
                    return .failed("\(plan)/\(file): \(problem)")
                }
            }
            let served = FileRoutes.url(base: try await advertisedURL.url(), plan: plan, file: file)
            return .downloaded(Downloaded(
                record: DownloadLedger.File(plan: plan, file: file, sourceURL: url, path: result.path, bytes: result.bytes, sha256: result.sha256),
                announcement: SpectrumDownloaded(file: file, url: served, plan: plan, sha256: result.sha256, bytes: result.bytes, sourceURL: url),
                lock: lock))
        } catch where error is HTTPClientError || error is FileLockError {
            logger.warning("download failed", metadata: ["url": .string(url), "error": "\(error)"])
            return .failed("\(plan)/\(file): \(error)")
        }
    }
}

extension Fetcher {
    /// Why the file at `path` cannot be a spectrum (neither gzip nor FITS), or nil. The content
    /// itself is the cataloger's to judge; this only keeps error pages out of the ledger.
    static func notASpectrum(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "cannot be read back" }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 9)) ?? Data())
        if head.starts(with: [0x1f, 0x8b]) || head.starts(with: Array("SIMPLE  =".utf8)) { return nil }
        let text = String(decoding: head, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return "not a FITS or gzip file (it starts with \(text.isEmpty ? "nothing" : "\"\(text)…\""))"
    }
}

/// Counts completed downloads and says when to log (every 5% or 100 files, and at the end).
final class Progress: Sendable {
    private let state: Mutex<Int>
    let total: Int
    private let step: Int

    init(total: Int) {
        self.total = total
        state = Mutex(0)
        step = max(1, min(100, total / 20))
    }

    func advance() -> (done: Int, total: Int)? {
        let done = state.withLock { $0 += 1; return $0 }
        return done % step == 0 || done == total ? (done, total) : nil
    }
}

/// `in_place` asks to serve files where they lie, which only local files can be.
struct InPlaceNeedsLocalFiles: Error, NonRetryableError, CustomStringConvertible {
    var baseURL: String
    var description: String { "in_place needs a file:// base URL, not \(baseURL): remote files are downloaded" }
}

struct UnknownPlans: Error, NonRetryableError, CustomStringConvertible {
    var plans: [String]
    var baseURL: String
    var description: String { (plans.count == 1 ? "plan " : "plans ") + plans.joined(separator: ", ") + " not found under \(baseURL)" }
}

struct FilesFailed: Error, CustomStringConvertible {
    var failures: [String]
    var unknownPlans: [String] = []
    var description: String {
        "\(failures.count) file(s) failed: " + failures.prefix(5).joined(separator: "; ") + (failures.count > 5 ? "; …" : "")
            + (unknownPlans.isEmpty ? "" : "; plans not found: " + unknownPlans.joined(separator: ", "))
    }
}

