import ArgumentParser
import Foundation
import HTTPClient

/// `gateway status`: one line per service and per stream, from a running gateway's `/api/status`.
/// Exits 1 when a service is not ready, so scripts can wait on it.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Print a status line per service and stream.")

    @Option(help: "The gateway's base URL.") var gateway = "http://127.0.0.1:8080"
    @Flag(help: "Print service lines only.") var servicesOnly = false

    func run() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.retry = .none
        configuration.requestTimeout = .seconds(10)
        let response = try await HTTPClient(configuration: configuration).get(gateway + "/api/status")
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let status = try decoder.decode(SystemStatus.self, from: Data(response.body))
        for service in status.services { print(Self.line(service)) }
        if !servicesOnly {
            for stream in status.streams { print(Self.line(stream)) }
        }
        if !status.services.allSatisfy(\.ready) { throw ExitCode(1) }
    }

    static func line(_ service: ServiceHealth) -> String {
        let state = service.ready ? "ready" : service.reachable ? "NOT READY" : "DOWN"
        var details: [String] = []
        if let report = service.report {
            if report.startup != "done" { details.append("start-up: \(report.startup)") }
            details += report.checks.sorted { $0.key < $1.key }.filter { $0.value != "ok" }.map { "\($0.key): \($0.value)" }
            details += report.workers.map { worker in
                "\(worker.stream) processed \(worker.processed) failed \(worker.failed) dlq \(worker.deadLettered)"
                    + (worker.paused.map { " paused (\($0))" } ?? "")
            }
        } else if let error = service.error {
            details.append(error)
        }
        return "service \(service.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(state.padding(toLength: 10, withPad: " ", startingAt: 0)) \(service.url)"
            + (details.isEmpty ? "" : "  " + details.joined(separator: "; "))
    }

    static func line(_ stream: StreamHealth) -> String {
        let groups = stream.groups.map { "\($0.name)(consumers \($0.consumers), pending \($0.pending), lag \($0.lag.map(String.init) ?? "?"))" }
        return "stream  \(stream.name.padding(toLength: 24, withPad: " ", startingAt: 0)) length \(stream.length)  dead letters \(stream.deadLetters)  "
            + (groups.isEmpty ? "no groups" : groups.joined(separator: " "))
    }
}
