import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a Hummingbird router on a free loopback port for the length of `body`, which gets
/// the server's base URL (`http://127.0.0.1:PORT`). Stands in for remote services in tests.
func withLocalHTTPServer<Context: RequestContext, T: Sendable>(
    _ router: Router<Context>, _ body: @Sendable (String) async throws -> T
) async throws -> T where Context.Source == ApplicationRequestContextSource {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    var logger = Logger(label: "test-http-server")
    logger.logLevel = .critical
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
        logger: logger)
    let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        do {
            let result = try await body("http://127.0.0.1:\(port)")
            await services.triggerGracefulShutdown()
            return result
        } catch {
            await services.triggerGracefulShutdown()
            throw error
        }
    }
}
