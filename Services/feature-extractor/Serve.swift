import ArgumentParser
import BlockingIO
import Contracts
import Hummingbird
import ServiceKit
import Spectra
import Streams

/// The service: `spectra.preprocessed` → a feature vector per spectrum → `spectra.features`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the feature extractor service (default).")

    func run() async throws {
        var runtime = try ServiceRuntime(service: "feature-extractor")
        let store = FeatureStore(pool: runtime.usePostgres(FeatureStore.migrator))
        let threads = BlockingPool(threads: 2)
        let producer = runtime.producer
        let extractor = FeatureExtractor()
        runtime.consume(StreamName.spectraPreprocessed) { delivery in
            let message = try delivery.decode(SpectrumPreprocessed.self)
            let features = try await threads.run { message.features(extractor) }
            let output = SpectrumFeatures(entry: message.entry, sha256: message.sha256, features: features)
            try await store.save(output)
            try await producer.publish(output, trace: delivery.envelope.trace)
        }
        runtime.routes { router in
            router.get("api/features/:obsid") { _, context -> Response in
                guard let obsid = context.parameters.get("obsid", as: Int.self) else { throw HTTPError(.badRequest, message: "obsid must be an integer") }
                guard let features = try await store.features(obsid: obsid) else { throw HTTPError(.notFound, message: "no features for \(obsid)") }
                return try ServiceRuntime.json(FeaturesWithLines(features))
            }
        }
        try await runtime.run()
    }
}
