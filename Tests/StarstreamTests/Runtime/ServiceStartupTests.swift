import Contracts
import Foundation
import HTTPClient
import Redis
import Testing

/// Every service binary, started as compose starts it: it connects, creates its consumer
/// groups, serves its probes and metrics, and stops cleanly on SIGTERM.
@Suite("Services start, report health, and stop cleanly")
struct ServiceStartupTests {
    let http = HTTPClient(configuration: {
        var configuration = HTTPClient.Configuration()
        configuration.retry = .none
        configuration.requestTimeout = .seconds(10)
        return configuration
    }())

    func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let response = try await http.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/\(path)"))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    @Test("each service serves /livez, /readyz and /metrics, creates its groups, and exits 0 on SIGTERM",
          arguments: ServiceDirectory.services.map(\.name))
    func startsAndStops(service: String) async throws {
        // Tests never reach the network: the poller's scheduled poll reads an empty recorded directory.
        let process = try ServiceProcess(service, environment: [
            "HTTP_PORT": "0", "DATA_DIR": try makeTemporaryDirectory(service), "ARXIV_BASE_URL": "file://" + (try makeTemporaryDirectory("no-pages")),
        ])
        let port = try await process.httpPort()

        #expect(try await get(port, "livez").status == 200)
        try await eventually("\(service) ready") { try await get(port, "readyz").status == 200 }
        let readiness = try JSONSerialization.jsonObject(with: Data(try await get(port, "readyz").body.utf8)) as? [String: Any]
        #expect(readiness?["service"] as? String == service)
        #expect((readiness?["checks"] as? [String: String])?["redis"] == "ok")

        let metrics = try await get(port, "metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains(#"starstream_service_info{"#) && metrics.body.contains(#"service="\#(service)""#))

        let redis = try await RedisConnection.connect(RedisConfiguration(url: TestServers.redisURL))
        for stream in ServiceDirectory.entry(service)?.consumes ?? [] {
            let groups = try await redis.xinfoGroups(stream).map(\.name)
            #expect(groups.contains(service), "\(service) has no group on \(stream)")
        }

        await expectCleanShutdown([process], timeout: .seconds(20))
        #expect(process.lines.contains { $0.contains(#""msg":"stopped""#) })
        #expect(process.lines.allSatisfy { $0.hasPrefix("{") && $0.contains(#""service":"\#(service)""#) }, "every log line is a JSON object")
    }

    @Test("with its database down a service stays up: /livez 200, /readyz 503 naming the dependency",
          arguments: [("cataloger", "DATABASE_URL", "postgresql://starstream@127.0.0.1:1/starstream", "postgres"),
                      ("summarizer", "MONGO_URI", "mongodb://127.0.0.1:1/starstream?serverSelectionTimeoutMS=500", "mongo")])
    func deadDependency(service: String, variable: String, url: String, check: String) async throws {
        let process = try ServiceProcess(service, environment: ["HTTP_PORT": "0", variable: url])
        let port = try await process.httpPort()
        try await Task.sleep(for: .seconds(2))

        #expect(try await get(port, "livez").status == 200)
        let readiness = try await get(port, "readyz")
        #expect(readiness.status == 503)
        let report = try JSONSerialization.jsonObject(with: Data(readiness.body.utf8)) as? [String: Any]
        #expect(report?["ready"] as? Bool == false)
        let checks = report?["checks"] as? [String: String] ?? [:]
        #expect(checks[check].map { $0 != "ok" } == true, "readyz: \(readiness.body)")
        #expect((report?["startup"] as? String)?.isEmpty == false)
        #expect(process.lines.contains { $0.contains("start-up waits for a dependency") })

        await expectCleanShutdown([process], timeout: .seconds(20))
    }

    @Test("the gateway aggregates every service's readiness and every stream; `gateway status` prints a line each")
    func gatewayStatus() async throws {
        let cataloger = try ServiceProcess("cataloger", environment: ["HTTP_PORT": "0"])
        let catalogerPort = try await cataloger.httpPort()
        try await eventually("cataloger ready") { try await get(catalogerPort, "readyz").status == 200 }
        // Every other service is pointed at a closed port: reported down, not hidden.
        var environment = ["HTTP_PORT": "0"]
        for entry in ServiceDirectory.services where entry.name != "gateway" {
            environment[entry.name.uppercased().replacingOccurrences(of: "-", with: "_") + "_URL"] = "http://127.0.0.1:1"
        }
        environment["CATALOGER_URL"] = "http://127.0.0.1:\(catalogerPort)"
        let gateway = try ServiceProcess("gateway", environment: environment)
        let gatewayPort = try await gateway.httpPort()

        let status = try JSONSerialization.jsonObject(with: Data(try await get(gatewayPort, "api/status").body.utf8)) as? [String: Any]
        let services = (status?["services"] as? [[String: Any]] ?? []).reduce(into: [String: [String: Any]]()) { $0[$1["name"] as? String ?? ""] = $1 }
        #expect(services.count == 9)
        #expect(services["cataloger"]?["ready"] as? Bool == true)
        #expect(services["fetcher"]?["reachable"] as? Bool == false)
        let streams = status?["streams"] as? [[String: Any]] ?? []
        let downloaded = streams.first { $0["name"] as? String == StreamName.spectraDownloaded }
        #expect((downloaded?["groups"] as? [[String: Any]])?.contains { $0["name"] as? String == "cataloger" } == true)

        let report = try ServiceProcess("gateway", arguments: ["status", "--gateway", "http://127.0.0.1:\(gatewayPort)"])
        #expect(await report.waitForExit() == 1, "not every service is ready")
        #expect(report.lines.contains { $0.hasPrefix("service cataloger") && $0.contains(" ready ") })
        #expect(report.lines.contains { $0.hasPrefix("service fetcher") && $0.contains("DOWN") })
        #expect(report.lines.contains { $0.hasPrefix("stream  \(StreamName.spectraDownloaded)") })

        await expectCleanShutdown([gateway, cataloger])
    }
}
