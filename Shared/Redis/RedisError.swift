/// Everything that can go wrong talking to Redis, with the context needed to act on it.
public enum RedisError: Error, Sendable, CustomStringConvertible {
    /// `REDIS_URL` (or the string given) is not a Redis URL.
    case invalidURL(String, reason: String)
    /// The server could not be reached; hiredis' message says why.
    case connectionFailed(endpoint: String, message: String)
    /// The connection broke while a command was in flight; the command may or may not have run.
    case connectionLost(command: String, message: String)
    /// The server answered with an error reply (`NOGROUP`, `WRONGTYPE`, `BUSYGROUP` …).
    case server(command: String, message: String)
    /// The reply did not have the shape the command promises.
    case unexpectedReply(command: String, reply: RedisValue)

    /// True when reconnecting and retrying may succeed.
    public var isConnectionError: Bool {
        switch self {
        case .connectionFailed, .connectionLost: true
        default: false
        }
    }

    /// The error code of a server error reply: its first word (`NOGROUP`, `BUSYGROUP`).
    public var serverCode: String? {
        guard case .server(_, let message) = self else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason): "invalid Redis URL '\(url)': \(reason)"
        case .connectionFailed(let endpoint, let message): "cannot connect to Redis at \(endpoint): \(message)"
        case .connectionLost(let command, let message): "Redis connection lost during \(command): \(message)"
        case .server(let command, let message): "Redis \(command) failed: \(message)"
        case .unexpectedReply(let command, let reply): "unexpected reply to Redis \(command): \(reply)"
        }
    }
}
