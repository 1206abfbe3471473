import Mongo
import Postgres
import Redis
import Streams

/// Which errors mean "a server this service depends on is unreachable or restarting", for the
/// stream workers (retry in place, not counted as an attempt) and start-up (wait for it).
public enum DependencyFailures {
    public static let classify: FailureClassifier = { error in
        isUnavailable(error) ? .dependency : .message
    }

    public static func isUnavailable(_ error: any Error) -> Bool {
        switch error {
        case is any DependencyUnavailableError: true
        case let error as RedisError: error.isUnavailable
        case let error as PostgresError: error.isUnavailable
        case let error as MongoError: error.isConnectionError
        default: false
        }
    }
}

extension PostgresError {
    /// A lost or refused connection, or a server saying it cannot serve now: connection
    /// exceptions (class 08), shutting down or starting up (57P01–57P03), out of connections
    /// (53300), and the conflicts a retry resolves (serialization failure, deadlock).
    public var isUnavailable: Bool {
        if isConnectionError { return true }
        guard let state = sqlState else { return false }
        return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300", "40001", "40P01"].contains(state)
    }
}
