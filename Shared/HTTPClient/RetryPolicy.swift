import Foundation

/// When and how long to wait before trying a request again.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Statuses worth retrying; anything else is final.
    public var retryableStatuses: Set<Int>
    /// The longest `Retry-After` honoured; a server asking for more fails the request.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504], maxRetryAfter: Duration = .seconds(120)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.retryableStatuses = retryableStatuses
        self.maxRetryAfter = maxRetryAfter
    }

    public static let none = RetryPolicy(maxAttempts: 1)

    /// Exponential back-off with "equal jitter": half the step fixed, half random, so that
    /// clients that failed together do not retry together.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let step = min(maxDelay, baseDelay * Int(pow(2.0, Double(max(0, attempt - 1)))))
        return step / 2 + step / 2 * Double.random(in: 0...1)
    }

    /// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
    public static func retryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) { return .seconds(max(0, seconds)) }
        // A server's header is outside input: Foundation's DateFormatter stops the process (a
        // fatal error, not nil) on a digit followed by a combining mark, so only printable ASCII
        // reaches it.
        guard trimmed.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSince(now) * 1000)))
    }
}
