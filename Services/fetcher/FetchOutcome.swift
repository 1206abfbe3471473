import Contracts
import Streams

extension Fetcher {
    /// What became of one file of the request.
    enum Outcome: Sendable {
        /// Fetched before (by another request or replica meanwhile).
        case skipped
        /// Why it could not be fetched; the others go on.
        case failed(String)
        case downloaded(Downloaded)
        /// Not a file: the batch's clock (see `Announcements.isDue`).
        case tick
    }

    /// A file on disk, verified, still to be announced and recorded; its lock is held until then,
    /// so that no other request or replica fetches it again meanwhile.
    struct Downloaded: Sendable {
        var record: DownloadLedger.File
        var announcement: SpectrumDownloaded
        var lock: FileLock
    }

    /// Downloaded files waiting to be announced (one pipelined `XADD`) and recorded (one
    /// multi-row insert): every 100 files, or once the oldest has waited a second (a slow
    /// archive's files are not held back), and at the end of the request. Progress is durable
    /// a batch at a time: after a crash, files downloaded but not yet recorded are fetched again.
    struct Announcements {
        let trace: String
        var files: [Downloaded] = [] {
            didSet { if oldValue.isEmpty, !files.isEmpty { since = .now } }
        }
        private var since = ContinuousClock.now

        init(trace: String) {
            self.trace = trace
        }

        var isDue: Bool { files.count >= 100 || (!files.isEmpty && ContinuousClock.now - since > .seconds(1)) }

        mutating func flush(producer: StreamProducer, ledger: DownloadLedger, served: ServedFiles) async throws {
            guard !files.isEmpty else { return }
            // Announced before recorded: a crash in between announces them again (announcements
            // are idempotent), where the other order could leave a file recorded, never announced.
            served.serve(files.map(\.record))
            try await producer.publish(traced: files.map { ($0.announcement, trace) })
            try await ledger.record(files.map(\.record))
            for file in files { file.lock.release() }
            files = []
        }
    }
}
