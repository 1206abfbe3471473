/// What a worker has done so far, for `/readyz` and the gateway.
public struct WorkerStatus: Sendable, Codable, Equatable {
    public var stream: String
    public var group: String
    public var consumer: String
    public var processed: Int
    public var failed: Int
    public var deadLettered: Int
    public var reclaimed: Int
    public var inFlight: Int
    /// Why the worker is not reading right now (a dependency is down), if it is not.
    public var paused: String?
    /// The last Redis error the worker is recovering from, cleared by the next good read.
    public var redisError: String?
    /// The dependency error a handler is waiting out (retrying in place), if one is.
    public var waitingForDependency: String?
}
