import Foundation
import Hummingbird
import ServiceKit

/// The gateway's settings beyond the runtime's: tokens, where the services answer, how often
/// the status board is refreshed.
struct GatewayConfiguration: Sendable {
    var access: AccessControl
    var services: ServiceEndpoints
    var refreshInterval: Duration

    init(environment: EnvironmentReader) throws {
        access = AccessControl(
            writeToken: environment.optionalString("GATEWAY_TOKEN").flatMap { $0.isEmpty ? nil : $0 },
            readToken: environment.optionalString("GATEWAY_READ_TOKEN").flatMap { $0.isEmpty ? nil : $0 })
        services = try ServiceEndpoints(environment: environment)
        refreshInterval = try environment.milliseconds("GATEWAY_STATUS_REFRESH_MS", default: .seconds(2), range: 100...600_000)
    }
}

/// Builds the gateway: its API, dashboard and status refresher on the runtime, ready to run
/// or to be driven in-process by a test.
func buildGateway(runtime: inout ServiceRuntime, configuration: GatewayConfiguration) -> (service: BuiltService, api: GatewayAPI) {
    let aggregator = StatusAggregator(redis: runtime.redis, services: configuration.services)
    let board = StatusBoard()
    let api = GatewayAPI(
        board: board, aggregator: aggregator, deadLetters: DeadLetterStore(redis: runtime.redis), actions: Actions(producer: runtime.producer),
        results: ResultsAPI(services: OwningServices(endpoints: configuration.services)))
    let access = configuration.access
    runtime.routes { router in
        router.middlewares.add(ProblemMiddleware())
        router.middlewares.add(MethodMiddleware(operations: api.operations))
        router.middlewares.add(AccessMiddleware(access: access))
        for operation in api.operations {
            router.on(RouterPath(operation.routerPath), method: operation.method, use: operation.handle)
            // HEAD: the GET's status and headers without its body.
            if operation.method == .get {
                router.on(RouterPath(operation.routerPath), method: .head) { request, context in
                    try await operation.handle(request, context).createHeadResponse()
                }
            }
        }
        Dashboard.register(on: router)
    }
    runtime.addService(StatusRefresher(aggregator: aggregator, board: board, interval: configuration.refreshInterval, logger: runtime.logger))
    return (runtime.build(), api)
}
