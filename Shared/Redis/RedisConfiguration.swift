import Foundation

/// Where and how to connect, parsed from a URL such as `redis://:secret@127.0.0.1:6379/2`
/// or `unix:///run/redis.sock`.
public struct RedisConfiguration: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }

    public var endpoint: Endpoint
    public var username: String?
    public var password: String?
    public var database: Int
    /// Socket timeout for ordinary commands. Blocking reads extend it for their own duration.
    public var commandTimeout: Duration
    public var connectTimeout: Duration
    /// Sent as `CLIENT SETNAME`, so `CLIENT LIST` shows which service holds a connection.
    public var clientName: String?

    public init(
        endpoint: Endpoint, username: String? = nil, password: String? = nil, database: Int = 0,
        commandTimeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(3), clientName: String? = nil
    ) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
        self.clientName = clientName
    }

    public init(url: String) throws(RedisError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme else {
            throw .invalidURL(url, reason: "expected redis://[user:password@]host[:port][/db] or unix:///path")
        }
        switch scheme {
        case "redis":
            guard let host = components.host, !host.isEmpty else { throw .invalidURL(url, reason: "missing host") }
            let port = components.port ?? 6379
            guard (1...65535).contains(port) else { throw .invalidURL(url, reason: "port \(port) out of range") }
            self.init(endpoint: .tcp(host: host, port: port))
            let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if !path.isEmpty {
                guard let db = Int(path), db >= 0 else { throw .invalidURL(url, reason: "database '\(path)' is not a number") }
                database = db
            }
        case "unix":
            guard !components.path.isEmpty else { throw .invalidURL(url, reason: "missing socket path") }
            self.init(endpoint: .unix(path: components.path))
        default:
            throw .invalidURL(url, reason: "unsupported scheme '\(scheme)'")
        }
        if let user = components.user, !user.isEmpty { username = user.removingPercentEncoding ?? user }
        if let secret = components.password { password = secret.removingPercentEncoding ?? secret }
    }

    /// The endpoint without credentials, for logs and errors.
    public var displayEndpoint: String {
        switch endpoint {
        case .tcp(let host, let port): "\(host):\(port)/\(database)"
        case .unix(let path): "unix:\(path)/\(database)"
        }
    }
}
