import Foundation
import Synchronization

/// Where each file this fetcher serves lies and its SHA-256 (the `ETag` of `GET /files/…`):
/// remembered as files are announced, looked up in the ledger otherwise (after a restart, or a
/// file recorded by another replica sharing the ledger), and, for a file announced but not yet
/// recorded when the process died, found in this fetcher's own directory (without a digest: the
/// reader checks the one it was announced with).
final class ServedFiles: Sendable {
    struct File: Sendable, Equatable {
        var path: String
        var sha256: String?
    }

    private let ledger: DownloadLedger
    private let directory: String
    private let known = Mutex<[String: File]>([:])
    /// Bounds the memory: past this many, the map starts again from the ledger.
    private let capacity: Int

    init(ledger: DownloadLedger, directory: String, capacity: Int = 200_000) {
        self.ledger = ledger
        self.directory = directory
        self.capacity = capacity
    }

    /// Call before announcing them: a reader may ask as soon as the announcement is out.
    func serve(_ files: [DownloadLedger.File]) {
        remember(files.map { ($0.plan + "/" + $0.file, File(path: $0.path, sha256: $0.sha256)) })
    }

    /// nil when the ledger has no such file.
    func file(plan: String, name: String) async throws -> File? {
        if let file = known.withLock({ $0[plan + "/" + name] }) { return file }
        guard let file = try await ledger.file(plan: plan, name: name) else {
            let copy = directory + "/" + plan + "/" + name
            return FileManager.default.fileExists(atPath: copy) ? File(path: copy, sha256: nil) : nil
        }
        remember([(plan + "/" + name, file)])
        return file
    }

    private func remember(_ files: [(key: String, file: File)]) {
        known.withLock { known in
            if known.count + files.count > capacity { known = [:] }
            for (key, file) in files { known[key] = file }
        }
    }
}
