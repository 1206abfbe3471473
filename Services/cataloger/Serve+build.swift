import ArgumentParser
import BlockingIO
import Contracts
import Hummingbird
import ServiceKit

extension Serve {
    /// The cataloger put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "cataloger", environment: environment)
        let store = CatalogStore(pool: runtime.usePostgres(CatalogStore.migrator))
        let cataloger = Cataloger(store: store, producer: runtime.producer, files: PeerFiles(), threads: BlockingPool(threads: 2))
        runtime.consumeBatch(StreamName.spectraDownloaded, handler: cataloger.handle(batch:))
        runtime.routes { router in
            router.get("api/catalog/:obsid") { _, context -> Response in
                guard let obsid = context.parameters.get("obsid", as: Int.self) else { throw HTTPError(.badRequest, message: "obsid must be an integer") }
                guard let row = try await store.entry(obsid: obsid) else { throw HTTPError(.notFound, message: "no spectrum with OBSID \(obsid)") }
                return try ServiceRuntime.json(row)
            }
            router.get("api/catalog") { request, _ -> Response in
                let objectClass = request.uri.queryParameters.get("class")
                let limit = min(10_000, request.uri.queryParameters.get("limit", as: Int.self) ?? 100)
                return try ServiceRuntime.json(try await store.entries(objectClass: objectClass, limit: limit))
            }
        }
        return runtime.build()
    }
}
