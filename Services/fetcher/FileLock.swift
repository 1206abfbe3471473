import Foundation
import Synchronization

/// An exclusive `flock` on a lock file, held until `release()`. Two requests (or two replicas
/// sharing `DATA_DIR`) fetching the same spectrum take turns, instead of appending to one
/// `.part` file at once. The lock files stay (one empty file per spectrum, under `.locks/`):
/// unlinking a lock file that another process is waiting on would let a third one in.
///
/// Sendable: a download hands its lock to whoever records the file, who releases it then.
final class FileLock: Sendable {
    private let state: Mutex<Int32>
    private var descriptor: Int32 { state.withLock { $0 } }

    private init(descriptor: Int32) {
        state = Mutex(descriptor)
    }

    deinit { release() }

    /// Waits (polling, so that no thread blocks) until the lock on `path` is ours.
    static func acquire(_ path: String, poll: Duration = .milliseconds(50)) async throws -> FileLock {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileLockError(path: path, message: String(cString: strerror(errno))) }
        let lock = FileLock(descriptor: descriptor)  // closes the descriptor on every way out
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw FileLockError(path: path, message: String(cString: strerror(errno))) }
            try await Task.sleep(for: poll)
        }
        return lock
    }

    /// Closing the descriptor releases the lock.
    func release() {
        state.withLock { descriptor in
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = -1
        }
    }
}

struct FileLockError: Error, CustomStringConvertible {
    var path: String
    var message: String
    var description: String { "cannot lock \(path): \(message)" }
}
