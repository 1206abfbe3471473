import Contracts
import Foundation
import HTTPClient
import Redis
import Testing

/// Where browser tests leave their screenshots: `.local/screenshots/` of the checkout.
let screenshotDirectory: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
    return url.appendingPathComponent(".local/screenshots").path
}()

/// Headless Chromium (Debian's) loads a page from a running gateway, runs its scripts, and
/// returns the DOM they built; with `screenshot`, also saves what it shows (1366×768, a laptop
/// screen) as `.local/screenshots/<screenshot>.png` and says where.
func renderedDOM(_ url: String, screenshot: String? = nil) async throws -> String {
    if let screenshot {
        try FileManager.default.createDirectory(atPath: screenshotDirectory, withIntermediateDirectories: true)
        let path = "\(screenshotDirectory)/\(screenshot).png"
        _ = try await runChromium(["--window-size=1366,768", "--screenshot=\(path)", url])
        print("screenshot: \(path)")
    }
    return try await runChromium(["--dump-dom", url])
}

private func runChromium(_ arguments: [String]) async throws -> String {
    let url = arguments.last ?? ""
    let profile = try makeTemporaryDirectory("chromium")
    let browser = Process()
    browser.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
    browser.arguments = [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(profile)", "--virtual-time-budget=8000",
    ] + arguments
    let output = Pipe()
    browser.standardOutput = output
    browser.standardError = FileHandle.nullDevice
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium") else {
        throw TestFailure(text: "chromium is not installed: run deploy/install.sh")
    }
    let collector = LineCollector()
    collector.collect(output)
    try browser.run()
    let deadline = ContinuousClock.now + .seconds(60)
    while browser.isRunning || !collector.finished {
        if ContinuousClock.now > deadline { kill(browser.processIdentifier, SIGKILL); throw TestFailure(text: "chromium did not finish with \(url)") }
        try await Task.sleep(for: .milliseconds(50))
    }
    return collector.lines.joined(separator: "\n")
}

@Suite("gateway dashboard in a real browser (headless Chromium)")
struct DashboardBrowserTests {
    @Test("the overview renders every service and stream from the API, with dead letters flagged; the dead-letters page lists them with replay buttons; nothing but the gateway is asked for")
    func overviewAndDeadLetters() async throws {
        let redisServer = try PrivateRedis()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        for number in 0..<3 { _ = try await deadLetter(StreamName.spectraDownloaded, number: number, on: redis) }
        let token = "tok-\(UInt64.random(in: 1...UInt64.max))"
        var environment = ["HTTP_PORT": "0", "REDIS_URL": redisServer.url, "GATEWAY_STATUS_REFRESH_MS": "500", "GATEWAY_TOKEN": token, "LOG_LEVEL": "debug"]
        for entry in ServiceDirectory.services where entry.name != "gateway" {
            environment[entry.name.uppercased().replacingOccurrences(of: "-", with: "_") + "_URL"] = "http://127.0.0.1:9"
        }
        let gateway = try ServiceProcess("gateway", environment: environment)
        let port = try await gateway.httpPort()

        let overview = try await renderedDOM("http://127.0.0.1:\(port)/", screenshot: "overview-services-down")
        for service in ServiceDirectory.services where service.name != "gateway" {
            #expect(overview.contains("data-service=\"\(service.name)\""), "\(service.name) row")
        }
        #expect(overview.contains("<td class=\"state down\">down</td>"))
        for stream in StreamName.all { #expect(overview.contains("data-stream=\"\(stream)\""), "\(stream) row") }
        #expect(overview.contains("<td class=\"alert\">3</td>"), "three dead letters flagged")
        #expect(overview.contains("s old."), "the snapshot's age is shown")

        let letters = try await renderedDOM("http://127.0.0.1:\(port)/dead-letters", screenshot: "dead-letters")
        #expect(letters.contains("data-stream=\"spectra.downloaded\""))
        #expect(letters.contains(">Replay all</button>") && letters.contains(">Purge</button>"))

        // A result page whose owning service is down says which one, instead of an empty table.
        let spectra = try await renderedDOM("http://127.0.0.1:\(port)/spectra")
        #expect(spectra.contains("<p id=\"error\" role=\"alert\">classifier: "), "\(spectra.suffix(600))")

        let docs = try await renderedDOM("http://127.0.0.1:\(port)/docs")
        #expect(docs.contains("id=\"replayDeadLetter\""))

        // Calls with the token, a wrong one and a failing one: no log line carries either.
        let http = HTTPClient()
        for presented in [token, token + "x"] {
            _ = try await http.send(HTTPClientRequest(
                url: "http://127.0.0.1:\(port)/api/dead-letters/spectra.downloaded/replay", method: "POST", headers: [("Authorization", "Bearer \(presented)")]))
        }
        await expectCleanShutdown([gateway])
        let output = (gateway.lines + [gateway.errorText]).joined(separator: "\n")
        #expect(!output.contains(token), "a log line holds the token")
    }
}
