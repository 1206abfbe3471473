import Contracts
import Foundation
import HTTPClient
import Testing

@Suite("monitoring: the Prometheus and Grafana files ask for what the services export")
struct MonitoringTests {
    static var folder: URL { Fixtures.repository.appendingPathComponent("deploy/monitoring") }

    /// Every `starstream_…` series a PromQL text names.
    static func metricNames(in text: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: "starstream_[a-z_]+")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    @Test("""
        every series the Grafana dashboard and the alert rules use is one a running service exports at /metrics; the \
        dashboard shows throughput, lag, dead letters and handler latency per stage; Prometheus looks for every service
        """)
    func namesAgree() async throws {
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("grafana/dashboards/starstream.json"))) as? [String: Any]
        let panels = try #require(dashboard?["panels"] as? [[String: Any]])
        let expressions = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        let titles = panels.compactMap { $0["title"] as? String }.joined(separator: " | ")
        for topic in ["Throughput", "Lag", "Dead letters", "latency"] { #expect(titles.contains(topic), "\(titles)") }
        let alerts = try String(contentsOf: Self.folder.appendingPathComponent("alerts.yml"), encoding: .utf8)
        let used = Self.metricNames(in: expressions.joined(separator: "\n")).union(Self.metricNames(in: alerts))
        #expect(used.count >= 6, "\(used)")

        // What a service with a worker exports, scraped from the running process.
        let process = try ServiceProcess("cataloger", environment: ["HTTP_PORT": "0", "DATABASE_URL": try await TestDatabase.create()])
        let port = try await process.httpPort()
        let text = String(decoding: try await HTTPClient().get("http://127.0.0.1:\(port)/metrics").body, as: UTF8.self)
        let exported = Set(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            line.split(whereSeparator: { $0 == "{" || $0 == " " }).first.map(String.init)
        })
        #expect(used.subtracting(exported).isEmpty, "not exported: \(used.subtracting(exported).sorted())")
        await expectCleanShutdown([process])

        let prometheus = try String(contentsOf: Self.folder.appendingPathComponent("prometheus.yml"), encoding: .utf8)
        for service in ServiceDirectory.services.map(\.name) {
            #expect(prometheus.contains(" \(service),") || prometheus.contains(" \(service)]") || prometheus.contains("[\(service)"), "Prometheus does not look for \(service)")
        }
    }
}
