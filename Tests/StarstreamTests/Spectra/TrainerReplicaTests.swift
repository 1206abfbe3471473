import Contracts
import Foundation
import HTTPClient
import Redis
import Spectra
import Streams
import Testing

@Suite("Trainer replicas (`--scale trainer=2`) share the labelled spectra and the registry")
struct TrainerReplicaTests {
    struct Used: Decodable { var obsid: Int }

    /// The 20 real fixtures, each published `copies` times under a fresh OBSID (so every block of
    /// 20 OBSIDs holds every fixture), through the feature extractor's own code.
    static func labelledVectors(copies: Int) throws -> [SpectrumFeatures] {
        let originals = try Fixtures.lamostFiles().map { path in
            let file = try SpectrumFile.read(path)
            let entry = try CatalogEntry(file)
            return (entry, FeatureExtractor().extract(try Preprocessor().process(file), redshift: entry.redshift))
        }
        return (0..<copies).flatMap { copy in
            originals.enumerated().map { index, original in
                var entry = original.0
                entry.obsid = 1_000 + copy * originals.count + index
                return SpectrumFeatures(entry: entry, sha256: "copy-\(copy)-\(index)", features: original.1)
            }
        }
    }

    @Test("two `--unused` requests sent together to two replicas train one after the other, on spectra that never overlap")
    func unusedSessionsDoNotOverlap() async throws {
        let redisServer = try PrivateRedis()
        let environment = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(),
            "TRAIN_AFTER_NEW": "0", "FOREST_TREES": "20", "MIN_CLASS_SUPPORT": "2",
        ]
        let replicas = try (0..<2).map { _ in
            try ServiceProcess("trainer", environment: environment.merging(["DATA_DIR": try makeTemporaryDirectory("trainer")]) { $1 })
        }
        let trainerURL = "http://127.0.0.1:\(try await replicas[0].httpPort())"
        // Both reading their streams before anything is sent, so that each can take a request.
        for replica in replicas { try await replica.waitForLine(containing: #""msg":"ready""#) }
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        let producer = StreamProducer(redis: redis, producer: "test")
        let http = HTTPClient()
        func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
            let response = try await http.get(trainerURL + path)
            #expect(response.status == 200, "\(path): \(response.status)")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(T.self, from: Data(response.body))
        }

        let vectors = try Self.labelledVectors(copies: 6)
        try await producer.publish(batch: vectors)
        let labelled = vectors.filter { ["STAR", "GALAXY", "QSO"].contains($0.entry.objectClass) }.count
        try await eventually("the replicas to store every vector") {
            try await get("/api/labelled", as: [String: Int].self).filter { $0.key != "Unknown" }.values.reduce(0, +) == labelled
        }

        // Both requests at once: each replica takes one (a replica handles one request at a time).
        let requests = (1...2).map { TrainRequest(requestId: "unused-\($0)", kinds: [.spectraClass], selection: .unused) }
        try await producer.publish(batch: requests)
        for request in requests {
            try await eventually("session \(request.requestId)") { (try? await http.get(trainerURL + "/api/sessions/\(request.requestId)")) != nil }
        }

        // The second session, started while the first was training, chose after the first had
        // registered what it used: nothing was left for it.
        let models = try await get("/api/models", as: [ModelTrained].self).filter { $0.kind == .spectraClass }
        var seen: Set<Int> = []
        for model in models {
            let used = try await get("/api/models/spectra-class/\(model.modelVersion)/spectra", as: [Used].self).map(\.obsid)
            #expect(seen.isDisjoint(with: used), "\(model.modelId) trained on spectra an earlier model used")
            seen.formUnion(used)
        }
        #expect(models.count == 1, "\(models.map(\.modelId))")
        #expect(seen.count == labelled)
        let handled = replicas.map { replica in requests.filter { request in replica.lines.contains { $0.contains(request.requestId) } }.count }
        #expect(handled == [1, 1], "each replica handled one request (so they could have run at once): \(handled)")

        await expectCleanShutdown(replicas)
    }
}
