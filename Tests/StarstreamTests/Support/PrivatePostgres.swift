import Foundation
import Synchronization

/// A PostgreSQL server of the test's own (its own data directory and port), so that a test may
/// stop and restart it mid-run without touching the server other tests share.
///
/// Run as the `postgres` user when the tests run as root (initdb refuses root), as
/// `deploy/servers.sh` does.
final class PrivatePostgres: Sendable {
    let port: Int
    let directory: String
    private static let binaries: String = {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root))?.sorted { $0.compare($1, options: .numeric) == .orderedAscending }
        return versions?.last.map { "\(root)/\($0)/bin" } ?? "/usr/bin"
    }()

    init() throws {
        port = try freePort()
        directory = try makeTemporaryDirectory("pg")
        if getuid() == 0 { try runChecked(["chown", "postgres", directory]) }
        try runChecked(asOwner([Self.binaries + "/initdb", "-D", directory + "/data", "-U", "starstream", "--auth=trust", "-E", "UTF8"]))
        try start()
    }

    var url: String { "postgresql://starstream@127.0.0.1:\(port)/postgres" }

    func start() throws {
        let options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(directory) -c fsync=off -c max_connections=100"
        try runChecked(asOwner([Self.binaries + "/pg_ctl", "-D", directory + "/data", "-l", directory + "/postgres.log", "-w", "-o", options, "start"]))
    }

    /// Stops the server the way an operator's restart does (`-m fast`: sessions are terminated).
    func stop() {
        _ = try? runToEnd(asOwner([Self.binaries + "/pg_ctl", "-D", directory + "/data", "-m", "fast", "-w", "stop"]))
    }

    deinit { stop() }

    private func asOwner(_ command: [String]) -> [String] {
        getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + command : command
    }

    private func runChecked(_ command: [String]) throws {
        let status = try runToEnd(command)
        guard status == 0 else { throw TestFailure(text: "\(command.joined(separator: " ")) exited with \(status); see \(directory)") }
    }
}

/// Runs a command to its end (`spawnQuietly`, then `waitpid`: no run loop); returns its exit status.
@discardableResult
func runToEnd(_ command: [String]) throws -> Int32 {
    let child = try spawnQuietly(command)
    var result: Int32 = 0
    while waitpid(child, &result, 0) == -1 && errno == EINTR {}
    return (result >> 8) & 0xff
}

/// Starts `command` (found on PATH unless `path` is given) with no signals blocked and its
/// standard streams on /dev/null; returns its pid.
///
/// The test runner's threads block signals, so without a clean mask a server would ignore
/// SIGTERM; and a server outliving a crashed runner must not hold `swift test`'s pipes open.
func spawnQuietly(_ command: [String], path: String? = nil) throws -> pid_t {
    var child: pid_t = 0
    var argv = command.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var files = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&files)
    defer { posix_spawn_file_actions_destroy(&files) }
    for descriptor in Int32(0)...2 {
        posix_spawn_file_actions_addopen(&files, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    // Nothing else of the test process's: Foundation's pipes are not close-on-exec, so a server
    // started while another test's service is being launched would hold the write end of that
    // service's output pipe for its whole life, and the test would wait for an end of output
    // that comes only when the server stops (a service "hung" long after it exited).
    // (glibc 2.34's closefrom action; Swift's Glibc module does not declare it.)
    guard let closeFrom = closeFromAction else { throw TestFailure(text: "this libc has no posix_spawn_file_actions_addclosefrom_np") }
    guard closeFrom(&files, 3) == 0 else { throw TestFailure(text: "posix_spawn_file_actions_addclosefrom_np failed") }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    let status = path.map { posix_spawn(&child, $0, &files, &attributes, &argv, environ) }
        ?? posix_spawnp(&child, command[0], &files, &attributes, &argv, environ)
    guard status == 0 else { throw TestFailure(text: "cannot start \(command[0]): \(String(cString: strerror(status)))") }
    return child
}

/// `posix_spawn_file_actions_addclosefrom_np`, looked up in the C library at run time.
private let closeFromAction: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()
