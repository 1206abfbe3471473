import NIOPosix

/// A pool of threads for blocking C calls that are not tied to one connection
/// (libcurl transfers, libmongoc operations on a client pool).
///
/// Work submitted here never runs on Swift's cooperative pool.
public final class BlockingPool: Sendable {
    private let pool: NIOThreadPool

    public init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    deinit {
        pool.shutdownGracefully { _ in }
    }
}
