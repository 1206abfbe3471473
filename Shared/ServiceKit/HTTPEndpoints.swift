import Foundation
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle
import Streams

/// The body of `/readyz`.
public struct ReadinessReport: Codable, Sendable {
    public var service: String
    public var ready: Bool
    /// "done", or the start-up step still waiting and why.
    public var startup: String
    /// Each dependency: "ok" or what is wrong with it.
    public var checks: [String: String]
    public var workers: [WorkerStatus]
}

extension ServiceRuntime {
    /// The HTTP server: `/livez` (the process runs), `/readyz` (start-up done and every
    /// dependency answers; 503 otherwise, with the reasons), `/metrics` (Prometheus text).
    func makeHTTPServer(state: StartupState, workers: [StreamWorker]) -> Application<RouterResponder<BasicRequestContext>> {
        let router = Router()
        let service = service
        let checks = checks
        router.get("livez") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            var results: [String: String] = [:]
            for check in checks { results[check.name] = await check.evaluate() ?? "ok" }
            let ready = state.isDone && results.values.allSatisfy { $0 == "ok" }
            let report = ReadinessReport(
                service: service, ready: ready, startup: state.waitingFor ?? "done", checks: results,
                workers: workers.map(\.status))
            return try Self.json(report, status: ready ? .ok : .serviceUnavailable)
        }
        // What /readyz would answer, as a gauge at every scrape: Prometheus alerts on a service
        // that runs but is not ready (start-up waiting, a dependency down), not only on one that is gone.
        let ready = Gauge(label: "starstream_service_ready", dimensions: [("service", service)])
        router.get("metrics") { _, _ -> Response in
            var isReady = state.isDone
            if isReady { for check in checks where await check.evaluate() != nil { isReady = false; break } }
            ready.record(isReady ? 1 : 0)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: prometheusRegistry.emitToBuffer())))
        }
        for build in routeBuilders { build(router) }
        let (logger, advertisedURL) = (logger, advertisedURL)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: service),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                advertisedURL.serverBound(port: port)
                logger.info("http listening", metadata: ["port": .stringConvertible(port)])
            },
            logger: logger)
    }

    /// A JSON response.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
