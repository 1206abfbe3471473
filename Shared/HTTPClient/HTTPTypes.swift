/// A request for `HTTPClient.send`.
public struct HTTPClientRequest: Sendable {
    public var url: String
    public var method: String
    public var headers: [(String, String)]
    public var body: [UInt8]?
    /// Overrides the client's request timeout for this request.
    public var timeout: Duration?

    public init(url: String, method: String = "GET", headers: [(String, String)] = [], body: [UInt8]? = nil, timeout: Duration? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A response: status, headers (names lowercased) and the whole body.
public struct HTTPClientResponse: Sendable {
    /// The HTTP status; 0 for `file://` URLs, which have none.
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    /// How many attempts it took (1 when the first succeeded).
    public var attempts: Int

    public var text: String { String(decoding: body, as: UTF8.self) }
    /// 2xx, or a `file://` read.
    public var isSuccess: Bool { (200..<300).contains(status) || status == 0 }
}

/// A finished download.
public struct DownloadResult: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    /// SHA-256 of the whole file, lowercase hex.
    public var sha256: String
    /// Bytes already on disk from an earlier, interrupted attempt that this one continued.
    public var resumedFrom: Int
}

/// Errors of the HTTP client, each naming the URL.
public enum HTTPClientError: Error, Sendable, CustomStringConvertible {
    case invalidURL(String)
    /// libcurl failed (DNS, refused, timeout, reset …); `code` is the `CURLcode`.
    case transport(url: String, code: Int, message: String)
    /// A non-success status after any retries.
    case status(url: String, status: Int, body: String)
    case tooLarge(url: String, limit: Int)
    case checksumMismatch(url: String, expected: String, actual: String)
    case file(path: String, message: String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "invalid URL '\(url)'"
        case .transport(let url, let code, let message): "GET \(url) failed: \(message) (curl \(code))"
        case .status(let url, let status, let body): "\(url) answered HTTP \(status): \(body.prefix(200))"
        case .tooLarge(let url, let limit): "\(url) is larger than the \(limit)-byte limit"
        case .checksumMismatch(let url, let expected, let actual): "\(url) has SHA-256 \(actual), expected \(expected)"
        case .file(let path, let message): "\(path): \(message)"
        }
    }

    /// Worth another attempt: timeouts, refused or reset connections, partial transfers.
    var isRetryable: Bool {
        guard case .transport(_, let code, _) = self else { return false }
        return [6, 7, 18, 28, 52, 55, 56].contains(code)  // resolve, connect, partial, timeout, empty, send, recv
    }
}
