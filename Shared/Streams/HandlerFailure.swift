import Redis

/// Whose fault a handler's error is, which decides what the worker does with the entry.
public enum HandlerFailure: Sendable, Equatable {
    /// The message's own fault (bad input, a refusal, a bug the message triggers): the attempt
    /// counts toward `maxDeliveries`, and the entry is retried later or dead-lettered.
    case message
    /// A dependency was unreachable (a connection lost, refused or timed out; a server
    /// restarting). Says nothing about the message: the worker retries it in place with
    /// back-off, without counting an attempt, and stops reading new entries meanwhile.
    case dependency
}

/// Sorts a handler's error into `HandlerFailure`. The stream runtime only knows Redis; a
/// service's runtime adds the databases it uses (see `ServiceKit.DependencyFailures`).
public typealias FailureClassifier = @Sendable (any Error) -> HandlerFailure

/// An error a handler throws to say "a service I depend on is unavailable", when the
/// failure is not one of the wrappers' own connection errors (another service's HTTP API
/// answering 503, say).
public protocol DependencyUnavailableError: Error {}

/// A dependency failure the readiness gate cannot see (another service's HTTP API, not a
/// server the gate pings), so "every dependency answers" says nothing about it: it gets this
/// many in-place retries, instead of the few after which a failure counts as the message's own.
public protocol PatientDependencyError: DependencyUnavailableError {
    var retriesBeforeBlame: Int { get }
}

public enum FailureClassifiers {
    /// Redis' connection errors and the replies of a server that is starting or failing over.
    public static let redis: FailureClassifier = { error in
        if error is any DependencyUnavailableError { return .dependency }
        guard let error = error as? RedisError else { return .message }
        return error.isUnavailable ? .dependency : .message
    }
}

extension RedisError {
    /// A lost or refused connection, or a server that answers but cannot serve now: `LOADING`
    /// its AOF after a restart, `BUSY` with a script, out of memory (`OOM`), unable to persist
    /// (`MISCONF`), a replica (`READONLY`, `NOREPLICAS`, `MASTERDOWN`), `TRYAGAIN`, `CLUSTERDOWN`.
    public var isUnavailable: Bool {
        if isConnectionError { return true }
        return ["LOADING", "BUSY", "OOM", "MISCONF", "READONLY", "NOREPLICAS", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"].contains(serverCode ?? "")
    }
}
