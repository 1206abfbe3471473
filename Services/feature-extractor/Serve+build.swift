import ArgumentParser
import BlockingIO
import Contracts
import Hummingbird
import ServiceKit
import Spectra
import Streams

extension Serve {
    /// The feature-extractor put together (its storage, consumers, routes and start-up steps) but not
    /// running: `run()` runs it, and a test drives its routes in-process
    /// (`try await buildService(environment:).application.test(.router)`).
    static func buildService(environment: EnvironmentReader = EnvironmentReader()) async throws -> BuiltService {
        var runtime = try ServiceRuntime(service: "feature-extractor", environment: environment)
        let store = FeatureStore(pool: runtime.usePostgres(FeatureStore.migrator))
        let threads = BlockingPool(threads: 2)
        let producer = runtime.producer
        let extractor = FeatureExtractor()
        // A read at a time: the vectors measured on the pool, one multi-row upsert, one pipelined XADD.
        runtime.consumeBatch(StreamName.spectraPreprocessed) { deliveries in
            let messages = try deliveries.map { try $0.decode(SpectrumPreprocessed.self) }
            // Two halves, one per pool thread.
            @Sendable func measure(_ part: ArraySlice<SpectrumPreprocessed>) async throws -> [SpectrumFeatures] {
                try await threads.run { part.map { SpectrumFeatures(entry: $0.entry, sha256: $0.sha256, features: $0.features(extractor)) } }
            }
            let half = (messages.count + 1) / 2
            async let first = measure(messages.prefix(half))
            let outputs = try await first + measure(messages.dropFirst(half))
            try await store.save(outputs)
            try await producer.publish(traced: zip(outputs, deliveries).map { ($0, $1.envelope.trace) })
        }
        runtime.routes { router in
            router.get("api/features/:obsid") { _, context -> Response in
                guard let obsid = context.parameters.get("obsid", as: Int.self) else { throw HTTPError(.badRequest, message: "obsid must be an integer") }
                guard let features = try await store.features(obsid: obsid) else { throw HTTPError(.notFound, message: "no features for \(obsid)") }
                return try ServiceRuntime.json(FeaturesWithLines(features))
            }
        }
        return runtime.build()
    }
}
