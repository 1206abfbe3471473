import Foundation
import Synchronization
import Testing

/// Three hosts on one machine (network namespaces, deploy/multi-host-test.sh): the servers on
/// one, the fetcher and trainer on another, the four spectra stages on a third, each service
/// with its own DATA_DIR and no disk shared between services.
@Suite("Across hosts: services on separate network hosts, sharing no disk")
struct MultiHostTests {
    /// What the script needs; without it the script would exit 77 (skipped), which is no pass.
    static var canRun: Bool {
        let files = FileManager.default
        let postgres = (try? files.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.contains { files.isExecutableFile(atPath: "/usr/lib/postgresql/\($0)/bin/initdb") } ?? false
        var root = URL(fileURLWithPath: #filePath)
        while root.path != "/" && !files.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        return getuid() == 0 && ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].contains(where: files.isExecutableFile(atPath:)) && postgres
            && files.isExecutableFile(atPath: root.appendingPathComponent(".local/venv/bin/secantusd-py").path)
    }

    @Test(
        """
        1,000 spectra through fetcher (host-b) and cataloger, preprocessor, feature-extractor, classifier (host-c), \
        every host-c process SIGKILLed and restarted mid-run: each spectrum catalogued, preprocessed, measured and \
        classified exactly once, nothing dead-lettered
        """,
        .enabled(if: ProcessInfo.processInfo.environment["STARSTREAM_MULTI_HOST"] == "1", "deploy/test.sh runs it alone (STARSTREAM_MULTI_HOST=1): it loads both cores"),
        .enabled(if: MultiHostTests.canRun, "needs root (ip netns), iproute2, PostgreSQL's server binaries and SecantusDB in .local/venv"),
        .timeLimit(.minutes(15)))
    func threeHosts() async throws {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/bin/bash")
        script.arguments = [root.appendingPathComponent("deploy/multi-host-test.sh").path, "--bin", ServiceProcess.productsDirectory.path]
        let output = Pipe()
        script.standardOutput = output
        script.standardError = output
        // Collected as it comes (a full pipe would stall the script), and waited for without
        // holding one of the cooperative pool's few threads for minutes.
        let collected = Mutex(Data())
        output.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            collected.withLock { $0.append(chunk) }
        }
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            script.terminationHandler = { _ in finished.resume() }
            do { try script.run() } catch { finished.resume() }
        }
        output.fileHandleForReading.readabilityHandler = nil
        if let rest = try? output.fileHandleForReading.readToEnd() { collected.withLock { $0.append(rest) } }
        let text = String(decoding: collected.withLock { $0 }, as: UTF8.self)
        #expect(script.terminationStatus == 0, "\(text)")
        #expect(text.contains("multi-host: passed"))
        #expect(!text.contains("FAILED"), "\(text)")
    }
}
