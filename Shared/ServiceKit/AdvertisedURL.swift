import Foundation
import Synchronization

/// The base URL other services reach this replica at, for what it announces (the fetcher names
/// its files by it). `PUBLIC_URL` when set (compose: the service name, whose replicas share a
/// volume; Kubernetes: a StatefulSet pod's own DNS name); otherwise made from the address the
/// HTTP server bound, known once it runs (`HTTP_PORT=0` picks a free port):
/// `http://<HTTP_HOST>:<port>`, with the machine's host name in place of a wildcard `HTTP_HOST`.
public final class AdvertisedURL: Sendable {
    private let value: Mutex<String?>
    private let host: String

    init(configured: String?, httpHost: String) {
        value = Mutex(configured.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        host = Self.reachableHost(httpHost)
    }

    /// Called when the HTTP server is bound; a configured URL wins.
    func serverBound(port: Int) {
        let host = host
        value.withLock { if $0 == nil { $0 = "http://\(host):\(port)" } }
    }

    /// The URL, waiting for the HTTP server to bind if it has not yet.
    public func url() async throws -> String {
        while true {
            if let url = value.withLock({ $0 }) { return url }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func reachableHost(_ httpHost: String) -> String {
        if ["", "0.0.0.0", "::", "[::]"].contains(httpHost) { return ProcessInfo.processInfo.hostName }
        return httpHost.contains(":") && !httpHost.hasPrefix("[") ? "[\(httpHost)]" : httpHost
    }
}
