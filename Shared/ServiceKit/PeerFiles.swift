import HTTPClient
import Streams

/// Files another service serves over HTTP and announces with their SHA-256 (the fetcher's
/// `GET /files/<plan>/<file>`, named by `spectra.downloaded`'s `url`). Services share no
/// disk: a consumer fetches the bytes, checks them against the announcement, and works on
/// them in memory.
///
/// Failures say whose fault they are, which decides what the stream worker does:
/// - the serving service unreachable, or answering 502/503/504: `PeerFileUnavailable`, a
///   dependency failure (the entry waits, about ten minutes before an attempt is counted);
/// - the file gone (404, 410, a missing `file://` path) or different from what was announced:
///   `PeerFileRejected`, dead-lettered at once naming the URL;
/// - anything else (a 500, say): an ordinary failure, retried up to `MAX_DELIVERIES`.
public struct PeerFiles: Sendable {
    let http: HTTPClient

    public init(http: HTTPClient = HTTPClient(configuration: PeerFiles.clientConfiguration)) {
        self.http = http
    }

    /// One quick retry: a peer that stays unreachable is the stream worker's to wait for
    /// (with back-off, and paused), not the client's.
    public static var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectTimeout = .seconds(5)
        configuration.retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(200))
        return configuration
    }

    /// The whole file at `url`, whose SHA-256 must be `sha256`.
    public func fetch(_ url: String, sha256: String) async throws -> [UInt8] {
        let response: HTTPClientResponse
        do {
            response = try await http.send(HTTPClientRequest(url: url))
        } catch let error as HTTPClientError {
            if url.hasPrefix("file://") { throw PeerFileRejected(url: url, reason: "cannot be read (\(error))") }
            if case .transport = error { throw PeerFileUnavailable(url: url, reason: "\(error)") }
            throw error
        }
        switch response.status {
        case 0, 200..<300: break
        case 404, 410: throw PeerFileRejected(url: url, reason: "is no longer served (HTTP \(response.status))")
        case 502, 503, 504: throw PeerFileUnavailable(url: url, reason: "answered HTTP \(response.status)")
        default: throw HTTPClientError.status(url: url, status: response.status, body: response.text)
        }
        let digest = SHA256.hash(response.body)
        guard digest == sha256.lowercased() else {
            throw PeerFileRejected(url: url, reason: "has SHA-256 \(digest), but \(sha256) was announced (the file changed since)")
        }
        return response.body
    }
}

/// The service holding a file could not be reached: says nothing about the message. The
/// readiness gate does not watch that service, so the entry waits in place for about ten
/// minutes (120 retries, 5 s apart once backed off) before an attempt is counted: a fetcher
/// restarting costs nothing, one gone for good (its replica's URL no longer resolves) ends in
/// the dead-letter stream after `MAX_DELIVERIES` such waits, naming the URL, to be replayed.
public struct PeerFileUnavailable: Error, PatientDependencyError, CustomStringConvertible {
    public var url: String
    public var reason: String
    public var description: String { "fetching \(url): \(reason)" }
    public var retriesBeforeBlame: Int { 120 }
}

/// The announced file is gone or not what was announced: retrying cannot help.
public struct PeerFileRejected: Error, NonRetryableError, CustomStringConvertible {
    public var url: String
    public var reason: String
    public var description: String { "\(url) \(reason)" }
}
