/// A fixed-size pool of connections, each on its own thread.
///
/// Callers borrow a connection for the length of a closure; when all are busy they wait
/// in line rather than opening more, so a service never exceeds its share of the server.
public actor PostgresPool {
    public nonisolated let url: String
    public nonisolated let size: Int
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var waiters: [CheckedContinuation<PostgresConnection, Never>] = []

    public init(url: String, size: Int = 4) {
        self.url = url
        self.size = max(1, size)
    }

    /// Borrows a connection for `body`.
    public nonisolated func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = await checkOut()
        do {
            let value = try await body(connection)
            await checkIn(connection)
            return value
        } catch {
            await checkIn(connection)
            throw error
        }
    }

    /// Runs one statement on any connection.
    @discardableResult
    public nonisolated func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, parameters) }
    }

    @discardableResult
    public nonisolated func query(_ sql: String, _ parameters: any PostgresEncodable...) async throws -> PostgresRows {
        try await query(sql, parameters)
    }

    /// Runs `body` in a transaction on one connection.
    public nonisolated func transaction<T: Sendable>(_ body: @Sendable (isolated PostgresConnection) throws -> T) async throws -> T {
        try await withConnection { try await $0.transaction(body) }
    }

    /// Checks that the server answers, for readiness probes.
    public nonisolated func ping() async throws {
        try await query("SELECT 1")
    }

    private func checkOut() async -> PostgresConnection {
        if let connection = idle.popLast() { return connection }
        if opened < size {
            opened += 1
            return PostgresConnection(url: url)
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    private func checkIn(_ connection: PostgresConnection) {
        if waiters.isEmpty {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }
}
