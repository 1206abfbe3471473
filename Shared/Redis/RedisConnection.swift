import BlockingIO
internal import CHiredis
import Foundation

/// hiredis sends without `MSG_NOSIGNAL`, so a write to a connection Redis has closed raises
/// SIGPIPE, whose default action kills the process without a word. Ignored (once, for the whole
/// process) before the first connection: the write then fails with EPIPE and becomes a
/// `RedisError` that the caller retries.
private let sigpipeIgnored: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

/// One connection to Redis through hiredis.
///
/// hiredis is synchronous, so the actor runs on a thread of its own: a command that blocks
/// (an `XREADGROUP … BLOCK`) holds that thread and nothing else. A broken connection is dropped
/// and reopened on the next command, with an exponential back-off between failed attempts.
public actor RedisConnection {
    public nonisolated let configuration: RedisConfiguration
    private let executor: DedicatedThreadExecutor
    // `nonisolated(unsafe)` only so that `deinit` may close it: every other use is on the
    // actor's own thread, and `deinit` runs when no task can reach the actor any more.
    nonisolated(unsafe) private var context: UnsafeMutablePointer<redisContext>?
    private var socketTimeout: Duration = .zero
    private var reconnectDelay: Duration = .zero
    private var nextConnectAttempt: ContinuousClock.Instant?

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    public init(configuration: RedisConfiguration) {
        self.configuration = configuration
        executor = DedicatedThreadExecutor(name: "redis \(configuration.displayEndpoint)")
    }

    /// Opens a connection now, so that a wrong URL or password fails at start-up.
    public static func connect(_ configuration: RedisConfiguration) async throws(RedisError) -> RedisConnection {
        let connection = RedisConnection(configuration: configuration)
        try await connection.connect()
        return connection
    }

    /// Nobody else holds the actor now, so closing here is exclusive. (Not `isolated deinit`:
    /// Swift 6.3.1 hits a "circular reference" when optimising modules that use the actor.)
    deinit {
        if let context { redisFree(context) }
        executor.shutdown()
    }

    public func connect() throws(RedisError) {
        _ = try openedContext()
    }

    /// Closes the socket; the next command reconnects.
    public func disconnect() {
        if let context { redisFree(context) }
        context = nil
    }

    public var isConnected: Bool { context != nil }

    /// Runs one command and returns its reply; an error reply is thrown as `RedisError.server`.
    @discardableResult
    public func command(_ arguments: String...) throws(RedisError) -> RedisValue {
        try command(arguments)
    }

    @discardableResult
    public func command(_ arguments: [String]) throws(RedisError) -> RedisValue {
        let reply = try send(arguments.map { Array($0.utf8) })
        if case .error(let message) = reply {
            throw .server(command: arguments.first ?? "", message: message)
        }
        return reply
    }

    /// Sends every command before reading any reply (one round trip for the lot).
    /// Error replies come back in place as `.error` values; a lost connection is thrown.
    public func pipeline(_ commands: [[String]]) throws(RedisError) -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        let context = try openedContext()
        for arguments in commands {
            let status = Self.withArgv(arguments.map { Array($0.utf8) }) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            if status != REDIS_OK { throw dropContext(command: arguments.first ?? "") }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for arguments in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                throw dropContext(command: arguments.first ?? "")
            }
            replies.append(Self.decode(raw.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(raw)
        }
        return replies
    }

    /// Runs a command that may legitimately wait for `wait` before answering (BLOCK, BLPOP).
    /// The socket timeout is raised above the wait, since a shorter one would kill the
    /// connection, and left there: such connections are dedicated to blocking reads.
    func blockingCommand(_ arguments: [String], wait: Duration) throws(RedisError) -> RedisValue {
        let context = try openedContext()
        setSocketTimeout(context, max(configuration.commandTimeout, wait + .seconds(2)))
        return try command(arguments)
    }

    // MARK: - hiredis

    private func send(_ arguments: [[UInt8]]) throws(RedisError) -> RedisValue {
        let context = try openedContext()
        let raw = Self.withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let raw else {
            throw dropContext(command: arguments.first.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
        defer { freeReplyObject(raw) }
        return Self.decode(raw.assumingMemoryBound(to: redisReply.self))
    }

    private func openedContext() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        if let next = nextConnectAttempt {
            let wait = next - .now
            if wait > .zero { Thread.sleep(forTimeInterval: wait.inSeconds) }
        }
        do {
            let opened = try open()
            context = opened
            reconnectDelay = .zero
            nextConnectAttempt = nil
            return opened
        } catch {
            reconnectDelay = min(max(reconnectDelay * 2, .milliseconds(50)), .seconds(5))
            nextConnectAttempt = .now + reconnectDelay
            throw error
        }
    }

    private func open() throws(RedisError) -> UnsafeMutablePointer<redisContext> {
        _ = sigpipeIgnored
        let timeout = timeval(configuration.connectTimeout)
        let opened: UnsafeMutablePointer<redisContext>? =
            switch configuration.endpoint {
            case .tcp(let host, let port): redisConnectWithTimeout(host, Int32(port), timeout)
            case .unix(let path): redisConnectUnixWithTimeout(path, timeout)
            }
        guard let opened else {
            throw .connectionFailed(endpoint: configuration.displayEndpoint, message: "hiredis could not allocate a context")
        }
        if opened.pointee.err != 0 {
            let message = Self.errorText(opened)
            redisFree(opened)
            throw .connectionFailed(endpoint: configuration.displayEndpoint, message: message)
        }
        if case .tcp = configuration.endpoint { _ = redisEnableKeepAlive(opened) }
        socketTimeout = .zero
        setSocketTimeout(opened, configuration.commandTimeout)
        context = opened
        do {
            try handshake()
        } catch {
            disconnect()
            throw .connectionFailed(endpoint: configuration.displayEndpoint, message: error.description)
        }
        return opened
    }

    private func handshake() throws(RedisError) {
        if let password = configuration.password {
            if let user = configuration.username { try command("AUTH", user, password) } else { try command("AUTH", password) }
        }
        if configuration.database != 0 { try command("SELECT", String(configuration.database)) }
        if let name = configuration.clientName { try command("CLIENT", "SETNAME", name) }
    }

    private func setSocketTimeout(_ context: UnsafeMutablePointer<redisContext>, _ timeout: Duration) {
        guard timeout != socketTimeout else { return }
        if redisSetTimeout(context, timeval(timeout)) == REDIS_OK { socketTimeout = timeout }
    }

    /// Frees a broken context and returns the error describing why it broke.
    private func dropContext(command: String) -> RedisError {
        let message = context.map(Self.errorText) ?? "no connection"
        disconnect()
        return .connectionLost(command: command, message: message)
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        var text = context.pointee.errstr
        let message = withUnsafeBytes(of: &text) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        return message.isEmpty ? "error \(context.pointee.err)" : message
    }

    /// Lays the arguments out contiguously and calls `body` with hiredis' argc/argv/argvlen.
    private static func withArgv<R>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R
    ) -> R {
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)
        return storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!)
            var pointers: [UnsafePointer<CChar>?] = offsets.map { (base + $0).assumingMemoryBound(to: CChar.self) }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { body(Int32(arguments.count), argv.baseAddress!, $0.baseAddress!) }
            }
        }
    }

    private static func decode(_ reply: UnsafePointer<redisReply>) -> RedisValue {
        let reply = reply.pointee
        func bytes() -> [UInt8] {
            guard let text = reply.str, reply.len > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: text, count: reply.len))
        }
        switch reply.type {
        case REDIS_REPLY_STRING: return .bulk(bytes())
        case REDIS_REPLY_STATUS: return .status(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(Int(reply.integer))
        case REDIS_REPLY_ARRAY:
            return .array((0..<reply.elements).map { index in
                reply.element[index].map { decode($0) } ?? .null
            })
        default: return .null
        }
    }
}

extension timeval {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
