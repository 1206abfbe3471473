import Contracts
import Foundation
import Learning
import HTTPClient
import Redis
import Spectra
import Streams
import Testing

@Suite("Spectra pipeline stages chained through real Redis and PostgreSQL")
struct SpectraPipelineTests {
    @Test("cataloger → preprocessor → feature-extractor: every real fixture arrives normalised and measured; bad files stop at the first stage")
    func catalogThenPreprocess() async throws {
        let redisServer = try PrivateRedis()
        let databaseURL = try await TestDatabase.create()
        let environment = ["HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": databaseURL]
        let cataloger = try ServiceProcess("cataloger", environment: environment)
        let preprocessor = try ServiceProcess("preprocessor", environment: environment.merging(["DATA_DIR": try makeTemporaryDirectory()]) { $1 })
        let preprocessorPort = try await preprocessor.httpPort()
        let extractor = try ServiceProcess("feature-extractor", environment: environment)
        let extractorPort = try await extractor.httpPort()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))

        let directory = try makeTemporaryDirectory()
        let files = try Fixtures.lamostFiles() + [SpectrumFixtures.truncated(in: directory)]
        try await StreamProducer(redis: redis, producer: "test").publish(batch: files.map { try SpectrumDownloaded.local($0) })

        try await eventually("20 preprocessed") { try await redis.xlen(StreamName.spectraPreprocessed) == 20 }
        #expect(try await redis.xlen(StreamName.spectraDownloaded + ".dlq") == 1)
        #expect(try await redis.xlen(StreamName.spectraCataloged + ".dlq") == 0)

        let messages = try await redis.xrange(StreamName.spectraPreprocessed).map {
            try SpectrumPreprocessed(envelope: Envelope(entry: $0), stream: StreamName.spectraPreprocessed)
        }
        #expect(Set(messages.map(\.entry.obsid)).count == 20)
        for message in messages {
            #expect(message.grid == .common)
            #expect(message.flux.values.count == WavelengthGrid.common.count)
            #expect(message.goodFraction > 0.8)
        }
        let galaxy = try #require(messages.first { $0.entry.objectClass == "GALAXY" })
        #expect(galaxy.entry.redshift == 0.0648571)

        // The preprocessor serves what it kept, identical to what it announced.
        let kept = try JSONDecoder().decode(
            SpectrumPreprocessed.self, from: Data(try await HTTPClient().get("http://127.0.0.1:\(preprocessorPort)/api/spectra/\(galaxy.entry.obsid)").body))
        #expect(kept.flux == galaxy.flux)

        try await eventually("20 feature vectors") { try await redis.xlen(StreamName.spectraFeatures) == 20 }
        let vectors = try await redis.xrange(StreamName.spectraFeatures).map {
            try SpectrumFeatures(envelope: Envelope(entry: $0), stream: StreamName.spectraFeatures)
        }
        #expect(Set(vectors.map(\.entry.obsid)) == Set(messages.map(\.entry.obsid)))
        #expect(vectors.allSatisfy { $0.features.version == FeatureExtractor.version && $0.features.names == FeatureExtractor().names })
        // What the service computed is what `feature-extractor inspect` computes from the file.
        let galaxyFeatures = try JSONDecoder().decode(
            SpectrumFeatures.self, from: Data(try await HTTPClient().get("http://127.0.0.1:\(extractorPort)/api/features/707005").body))
        let galaxyPath = try #require(try Fixtures.lamostFiles().first { $0.hasSuffix(galaxy.entry.file) })
        let direct = FeatureExtractor().extract(try Preprocessor().process(SpectrumFile.read(galaxyPath)), redshift: galaxy.entry.redshift)
        for (name, value) in zip(direct.names, direct.values) {
            let served = galaxyFeatures.features[name]
            #expect((served == nil) == (value == nil), "\(name)")
            if let served, let value { #expect(abs(served - value) <= 1e-4 * max(1, abs(value)), "\(name): \(served) vs \(value)") }
        }

        await expectCleanShutdown([cataloger, preprocessor, extractor])
    }

    @Test("packed float arrays survive JSON exactly, NaN and infinities included")
    func packedFloats() throws {
        let values: [Float] = [0, -1.5, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .infinity, -.infinity, 6564.61]
        let data = try JSONEncoder().encode(PackedFloats(values))
        let back = try JSONDecoder().decode(PackedFloats.self, from: data)
        #expect(back.values == values)
        let nan = try JSONDecoder().decode(PackedFloats.self, from: JSONEncoder().encode(PackedFloats([Float.nan])))
        #expect(nan.values.first?.isNaN == true)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PackedFloats.self, from: Data(#""abc""#.utf8)) }
    }
}
