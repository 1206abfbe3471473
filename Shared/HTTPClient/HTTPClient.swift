import BlockingIO
import Foundation

/// An HTTP (and `file://`) client over libcurl: timeouts, retries with back-off and jitter
/// that honour `Retry-After`, a per-host request spacing, size limits, and resumable,
/// atomic, checksummed downloads.
///
/// Transfers run on threads of their own, never on Swift's cooperative pool.
public final class HTTPClient: Sendable {
    public struct Configuration: Sendable {
        public var connectTimeout: Duration = .seconds(10)
        public var requestTimeout: Duration = .seconds(60)
        /// A download fails when it receives nothing for this long.
        public var stallTimeout: Duration = .seconds(30)
        public var retry = RetryPolicy()
        /// Minimum spacing between requests to one host, in this process; nil for none.
        public var minimumRequestInterval: Duration?
        /// Largest body `send` accepts into memory.
        public var maxResponseSize = 64 << 20
        /// Transfers that may run at once.
        public var concurrency = 8
        public var userAgent = "starstream/1.0 (+https://github.com/starstream)"

        public init() {}
    }

    public let configuration: Configuration
    private let threads: BlockingPool
    private let limiter: HostRateLimiter?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        threads = BlockingPool(threads: configuration.concurrency)
        limiter = configuration.minimumRequestInterval.map { HostRateLimiter(interval: $0) }
    }

    /// Sends `request`, retrying transport failures and retryable statuses, and returns the
    /// last response whatever its status. Throws only when no response arrived.
    public func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            try await waitForTurn(request.url)
            let options = transferOptions(request)
            let limit = configuration.maxResponseSize
            let outcome = try await threads.run { () -> Result<HTTPClientResponse, HTTPClientError> in
                let sink = TransferSink(limit: limit)
                return CurlTransfer.perform(options, into: sink).map {
                    HTTPClientResponse(status: sink.status, headers: sink.headers, body: sink.body, attempts: 0)
                }
            }
            switch outcome {
            case .success(var response):
                response.attempts = attempt
                guard policy.retryableStatuses.contains(response.status), attempt < policy.maxAttempts,
                    let wait = retryDelay(response, attempt: attempt)
                else { return response }
                try await Task.sleep(for: wait)
            case .failure(let error):
                guard error.isRetryable, attempt < policy.maxAttempts else { throw error }
                try await Task.sleep(for: policy.delay(afterAttempt: attempt))
            }
        }
    }

    /// GET that throws `HTTPClientError.status` unless the final answer is a success.
    public func get(_ url: String, headers: [(String, String)] = []) async throws -> HTTPClientResponse {
        try Self.successful(await send(HTTPClientRequest(url: url, headers: headers)), url: url)
    }

    /// POST of `body` that throws `HTTPClientError.status` unless the final answer is a success.
    public func post(
        _ url: String, body: [UInt8], contentType: String = "application/json", headers: [(String, String)] = []
    ) async throws -> HTTPClientResponse {
        let request = HTTPClientRequest(url: url, method: "POST", headers: [("Content-Type", contentType)] + headers, body: body)
        return try Self.successful(await send(request), url: url)
    }

    /// Downloads `url` to `path`: streamed to `path.part`, continued from where an earlier
    /// attempt stopped (`Range`), checked against `maxSize` and `expectedSHA256`, then renamed
    /// into place, so `path` only ever holds a whole file.
    public func download(_ url: String, to path: String, maxSize: Int? = nil, expectedSHA256: String? = nil) async throws -> DownloadResult {
        let partPath = path + ".part"
        let policy = configuration.retry
        var attempt = 0
        var firstOffset: Int?
        while true {
            attempt += 1
            try await waitForTurn(url)
            var options = transferOptions(HTTPClientRequest(url: url))
            options.totalTimeout = nil
            options.acceptCompressed = false
            let outcome = try await threads.run { [options] in Self.downloadOnce(options, partPath: partPath, maxSize: maxSize) }
            switch outcome {
            case .success(let resumedFrom):
                let digest = try await threads.run { try Self.sha256(ofFile: partPath) }
                if let expected = expectedSHA256, expected.lowercased() != digest.sha256 {
                    unlink(partPath)
                    throw HTTPClientError.checksumMismatch(url: url, expected: expected.lowercased(), actual: digest.sha256)
                }
                guard rename(partPath, path) == 0 else {
                    throw HTTPClientError.file(path: path, message: String(cString: strerror(errno)))
                }
                return DownloadResult(path: path, bytes: digest.bytes, sha256: digest.sha256, resumedFrom: firstOffset ?? resumedFrom)
            case .failure(let failure):
                if firstOffset == nil { firstOffset = failure.resumedFrom }
                let retryable = failure.error.isRetryable
                    || { if case .status(_, let status, _) = failure.error { policy.retryableStatuses.contains(status) } else { false } }()
                guard retryable, attempt < policy.maxAttempts else {
                    if case .tooLarge = failure.error { unlink(partPath) }
                    throw failure.error
                }
                try await Task.sleep(for: failure.retryAfter.map { min($0, policy.maxRetryAfter) } ?? policy.delay(afterAttempt: attempt))
            }
        }
    }

    // MARK: - Internals

    struct DownloadFailure: Error {
        var error: HTTPClientError
        var resumedFrom: Int
        var retryAfter: Duration?
    }

    /// One attempt; returns how many bytes were already on disk when it started.
    private static func downloadOnce(_ options: TransferOptions, partPath: String, maxSize: Int?) -> Result<Int, DownloadFailure> {
        let descriptor = open(partPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else {
            return .failure(DownloadFailure(error: .file(path: partPath, message: String(cString: strerror(errno))), resumedFrom: 0))
        }
        defer { close(descriptor) }
        let existing = Int(lseek(descriptor, 0, SEEK_END))
        var sink = TransferSink(fileDescriptor: descriptor, resumeOffset: max(0, existing), limit: maxSize)
        var result = CurlTransfer.perform(options, into: sink)
        if case .failure(.transport(_, 33, _)) = result {
            // The server cannot resume (curl's "range error"): start the file over at once.
            guard ftruncate(descriptor, 0) == 0 else {
                return .failure(DownloadFailure(error: .file(path: partPath, message: String(cString: strerror(errno))), resumedFrom: existing))
            }
            sink = TransferSink(fileDescriptor: descriptor, resumeOffset: 0, limit: maxSize)
            result = CurlTransfer.perform(options, into: sink)
        }
        if case .failure(let error) = result {
            return .failure(DownloadFailure(error: error, resumedFrom: existing))
        }
        if sink.status == 416, existing > 0 {
            // Nothing left to send: the part file is already whole if the server says so.
            let total = sink.headers["content-range"].flatMap { $0.split(separator: "/").last }.flatMap { Int($0) }
            if total == existing { return .success(existing) }
            _ = ftruncate(descriptor, 0)
            return .failure(DownloadFailure(error: .transport(url: options.url, code: 18, message: "stale partial file discarded"), resumedFrom: existing))
        }
        if sink.status >= 300 {
            let body = String(decoding: sink.errorBody, as: UTF8.self)
            let retryAfter = sink.headers["retry-after"].flatMap { RetryPolicy.retryAfter($0) }
            return .failure(DownloadFailure(error: .status(url: options.url, status: sink.status, body: body), resumedFrom: existing, retryAfter: retryAfter))
        }
        return .success(sink.resumeOffset)
    }

    /// A local file read where it lies, on the client's threads: its size and SHA-256, as a
    /// download of it would report them (for a `file://` source used in place, not copied).
    public func digest(ofLocalFile path: String) async throws -> DownloadResult {
        let digest = try await threads.run { try Self.sha256(ofFile: path) }
        return DownloadResult(path: path, bytes: digest.bytes, sha256: digest.sha256, resumedFrom: 0)
    }

    private static func sha256(ofFile path: String) throws -> (sha256: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HTTPClientError.file(path: path, message: "cannot open for reading")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(chunk)
            bytes += chunk.count
        }
        return (hasher.finalize(), bytes)
    }

    private func waitForTurn(_ url: String) async throws {
        guard let limiter else { return }
        let host = URLComponents(string: url)?.host ?? ""
        if !host.isEmpty { try await limiter.acquire(host: host) }
    }

    private func transferOptions(_ request: HTTPClientRequest) -> TransferOptions {
        TransferOptions(
            url: request.url, method: request.method, headers: request.headers, body: request.body,
            connectTimeout: configuration.connectTimeout, totalTimeout: request.timeout ?? configuration.requestTimeout,
            stallTimeout: configuration.stallTimeout, userAgent: configuration.userAgent)
    }

    private func retryDelay(_ response: HTTPClientResponse, attempt: Int) -> Duration? {
        guard let header = response.headers["retry-after"], let wait = RetryPolicy.retryAfter(header) else {
            return configuration.retry.delay(afterAttempt: attempt)
        }
        return wait <= configuration.retry.maxRetryAfter ? wait : nil
    }

    private static func successful(_ response: HTTPClientResponse, url: String) throws -> HTTPClientResponse {
        guard response.isSuccess else { throw HTTPClientError.status(url: url, status: response.status, body: response.text) }
        return response
    }
}
