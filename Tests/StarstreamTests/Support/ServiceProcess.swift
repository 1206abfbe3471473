import Foundation
import Synchronization
import Testing

/// A built executable of this package (a service or a tool) run as a child process, with its
/// output lines collected for the test to wait on.
///
/// `@unchecked Sendable`: `Process` is only touched to start it and read its pid and exit
/// status (safe from any thread once launched); the collected output sits behind a `Mutex`.
final class ServiceProcess: @unchecked Sendable {
    let name: String
    private let process = Process()
    private let output = LineCollector()
    private let errors = LineCollector()

    /// The directory holding the package's built executables (beside the test bundle).
    static let productsDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("stream-probe").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// Starts `executable` with the test servers' environment plus `environment`.
    init(_ executable: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        name = executable
        process.executableURL = Self.productsDirectory.appendingPathComponent(executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["LOG_LEVEL"] = "info"
        merged.merge(environment) { $1 }
        process.environment = merged
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        output.collect(stdout)
        errors.collect(stderr)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var pid: Int32 { process.processIdentifier }
    var lines: [String] { output.lines }
    var errorText: String { errors.lines.joined(separator: "\n") }

    func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to exit; returns its status, or nil if it is still running at the deadline.
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        var deadline = ContinuousClock.now + timeout
        var extended = false
        var reapedAt: ContinuousClock.Instant? = nil
        // Exited, and its output read to the end, so that callers see every line it wrote.
        while process.isRunning || !output.finished || !errors.finished {
            // Reaped: what it wrote is in the pipes, read within moments. An end of output that
            // does not follow means another process holds a write end (leaked to a child started
            // meanwhile); that is not this process's to wait for.
            let exitStatus = process.isRunning ? exitedStatus : process.terminationStatus
            if let exitStatus {
                let reaped = reapedAt ?? ContinuousClock.now
                reapedAt = reaped
                if ContinuousClock.now - reaped > .seconds(5) || (output.finished && errors.finished) { return exitStatus }
            }
            if ContinuousClock.now > deadline {
                // Exited in time, or logged that it stopped (its services returned), but not yet
                // gone, reaped or read to the end: on a loaded machine the exit itself, Foundation's
                // reaping and pipe reading run late (CI saw a poller log "stopped" 1.1 s after
                // SIGTERM and become a zombie only 29 s later). It stopped; wait for the rest.
                guard !extended, hasExited || hasLoggedStop else { return nil }
                (deadline, extended) = (ContinuousClock.now + .seconds(120), true)
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Whether the service logged that its service group returned (`ServiceRuntime`'s "stopped").
    var hasLoggedStop: Bool { lines.contains { $0.contains(#""msg":"stopped""#) } }

    /// The exit status (or killing signal) of a process that has ended but that Foundation has
    /// not reaped yet, read without reaping it (`WNOWAIT`); nil while it runs.
    var exitedStatus: Int32? {
        var info = siginfo_t()
        guard waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT | WNOHANG) == 0, info._sifields._sigchld.si_pid == pid else { return nil }
        return info._sifields._sigchld.si_status
    }

    /// Whether the process has ended, reaped or not (a zombie still has its /proc entry).
    var hasExited: Bool {
        guard process.isRunning else { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        // Field 3, after the parenthesised command name: the state letter.
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }

    /// Waits for the exit; nil when the status is 0, or else a description of how it ended.
    func uncleanExitReport(timeout: Duration = .seconds(30)) async -> String? {
        let status = await waitForExit(timeout: timeout)
        if status == 0 { return nil }
        let output = "Last output:\n" + lines.suffix(30).joined(separator: "\n") + "\nstderr:\n" + errors.lines.suffix(30).joined(separator: "\n")
        // `terminationReason` may only be read once the process has exited.
        guard let status, !process.isRunning else {
            // A hang is diagnosed from where each thread waits, not guessed at from the last log line.
            let stacks = process.isRunning ? "\nthreads:\n" + threadStacks() : ""
            return "\(name) \(process.isRunning ? "still running" : "exited, its output still open,") after \(timeout). " + output + stacks
        }
        let ending = process.terminationReason == .uncaughtSignal ? "killed by signal \(status)" : "exited with status \(status)"
        return "\(name) \(ending). " + output
    }

    /// Every thread's backtrace (`gdb -batch -p`), or why there is none; at most 400 lines.
    func threadStacks() -> String {
        let gdb = Process()
        gdb.executableURL = URL(fileURLWithPath: "/usr/bin/gdb")
        gdb.arguments = ["-batch", "-nx", "-p", String(pid), "-ex", "thread apply all bt 30"]
        let pipe = Pipe()
        gdb.standardOutput = pipe
        gdb.standardError = pipe
        do { try gdb.run() } catch { return "(no backtrace: \(error))" }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        gdb.waitUntilExit()
        let frames = text.split(separator: "\n").filter { $0.hasPrefix("#") || $0.hasPrefix("Thread ") }
        return frames.isEmpty ? "(no backtrace: " + text.suffix(400) + ")" : frames.prefix(400).joined(separator: "\n")
    }

    /// Waits until an output line contains `text`; returns that line.
    @discardableResult
    func waitForLine(containing text: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.first(where: { $0.contains(text) }) { return line }
            if !process.isRunning, let line = lines.first(where: { $0.contains(text) }) { return line }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessWaitError(process: name, waitingFor: text, output: lines.suffix(20).joined(separator: "\n") + "\n" + errorText)
    }

    /// The HTTP port the service logged (`"msg":"http listening","port":…`).
    func httpPort() async throws -> Int {
        let line = try await waitForLine(containing: "\"http listening\"")
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        return object?["port"] as? Int ?? 0
    }
}

/// Splits what a pipe delivers into lines as it arrives.
///
/// Reads on a thread of its own with plain blocking `read`: Foundation's `readabilityHandler`
/// (a dispatch source) crashed libdispatch's event loop under many short-lived children.
final class LineCollector: Sendable {
    private let complete = Mutex<[String]>([])
    private let reachedEnd = Atomic<Bool>(false)

    var lines: [String] { complete.withLock { $0 } }
    /// The writer closed the pipe (the process exited) and every line has been collected.
    var finished: Bool { reachedEnd.load(ordering: .acquiring) }

    func collect(_ pipe: Pipe) {
        // A descriptor of the thread's own: the Pipe closes its copy when it is deallocated.
        let descriptor = dup(pipe.fileHandleForReading.fileDescriptor)
        let thread = Thread { [self] in
            defer { close(descriptor) }
            var partial: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                partial.append(contentsOf: chunk[..<count])
                var found: [String] = []
                while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
                    found.append(String(decoding: partial[..<newline], as: UTF8.self))
                    partial.removeSubrange(...newline)
                }
                if !found.isEmpty { complete.withLock { $0.append(contentsOf: found) } }
            }
            if !partial.isEmpty { complete.withLock { $0.append(String(decoding: partial, as: UTF8.self)) } }
            reachedEnd.store(true, ordering: .releasing)
        }
        thread.start()
    }
}

struct ProcessWaitError: Error, CustomStringConvertible {
    var process: String
    var waitingFor: String
    var output: String
    var description: String { "\(process) never printed '\(waitingFor)'. Last output:\n\(output)" }
}

/// Sends SIGTERM to every process, then records an issue for each that does not exit 0 within
/// `timeout`, saying how it ended and what it last printed.
func expectCleanShutdown(_ processes: [ServiceProcess], timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation) async {
    for process in processes { process.signal(SIGTERM) }
    for process in processes {
        if let report = await process.uncleanExitReport(timeout: timeout) { Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation) }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(60), _ what: String = "condition", _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("timed out waiting for \(what)")
    throw CancellationError()
}
