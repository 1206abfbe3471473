import Contracts
import Foundation
import HTTPClient
import Redis
import Streams
import Testing

/// The trainer against a real `mlflow server` (Tools/mlflow/requirements.txt), which the test
/// command starts (`STARSTREAM_WITH_MLFLOW=1 deploy/servers.sh start` sets MLFLOW_TEST_URI).
@Suite(
    "MLflow: every training session is logged to MLflow's tracking server and model registry",
    .enabled(if: ProcessInfo.processInfo.environment["MLFLOW_TEST_URI"] != nil, "needs MLFLOW_TEST_URI (deploy/test.sh starts MLflow)"))
struct MLflowExportTests {
    static var mlflow: String { ProcessInfo.processInfo.environment["MLFLOW_TEST_URI"]! }

    struct ExportState: Decodable {
        var model: String
        var run_id: String?
        var registered_version: String?
        var attempts: Int
        var last_error: String?
    }

    /// MLflow's REST API, read as the test's witness.
    struct MLflowReader {
        let http = HTTPClient()

        func json(_ method: String, _ path: String, query: [String: String] = [:], body: [String: Any]? = nil) async throws -> [String: Any] {
            var components = URLComponents(string: MLflowExportTests.mlflow + "/api/2.0/" + path)!
            if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.key, value: $0.value) } }
            let payload = try body.map { Array(try JSONSerialization.data(withJSONObject: $0)) }
            let response = try await http.send(HTTPClientRequest(
                url: components.url!.absoluteString, method: method, headers: [("Content-Type", "application/json")], body: payload))
            #expect(response.status == 200, "\(path): \(response.status) \(response.text.prefix(300))")
            return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        }

        func runs(experiment name: String) async throws -> [[String: Any]] {
            let experiment = try await json("GET", "mlflow/experiments/get-by-name", query: ["experiment_name": name])
            let id = try #require((experiment["experiment"] as? [String: Any])?["experiment_id"] as? String)
            return try await json("POST", "mlflow/runs/search", body: ["experiment_ids": [id]])["runs"] as? [[String: Any]] ?? []
        }
    }

    static func pairs(_ list: Any?) -> [String: String] {
        Dictionary((list as? [[String: Any]] ?? []).compactMap { item in
            (item["key"] as? String).map { ($0, "\(item["value"] ?? "")") }
        }, uniquingKeysWith: { $1 })
    }

    static func start(_ environment: [String: String]) async throws -> (ServiceProcess, String) {
        let process = try ServiceProcess("trainer", environment: environment)
        let url = "http://127.0.0.1:\(try await process.httpPort())"
        try await process.waitForLine(containing: #""msg":"ready""#)
        return (process, url)
    }

    static func exports(_ trainer: String) async throws -> [ExportState] {
        try JSONDecoder().decode([ExportState].self, from: Data(try await HTTPClient().get(trainer + "/api/mlflow").body))
    }

    @Test("""
        a model trained while MLflow is unreachable is announced all the same; its export is retried, and once the trainer \
        reaches MLflow the run holds its parameters, held-out metrics, report, evaluation and artifact, and a registered \
        version tagged with Starstream's version and feature version, once however often the export was tried
        """)
    func exportsEveryVersionAfterAnOutage() async throws {
        let redisServer = try PrivateRedis()
        let prefix = "test-\(UUID().uuidString.prefix(8).lowercased())"
        let base = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(),
            "DATA_DIR": try makeTemporaryDirectory("trainer"), "TRAIN_AFTER_NEW": "0", "FOREST_TREES": "20", "BOOSTING_ROUNDS": "20", "MIN_CLASS_SUPPORT": "2",
            "MLFLOW_EXPERIMENT_PREFIX": prefix, "MLFLOW_EXPORT_INTERVAL_MS": "200", "MLFLOW_RETRY_MS": "300",
        ]
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        let producer = StreamProducer(redis: redis, producer: "test")

        // MLflow "down": nothing listens at the address the trainer is given.
        let closedPort = try freePort()
        var (trainer, url) = try await Self.start(base.merging(["MLFLOW_TRACKING_URI": "http://127.0.0.1:\(closedPort)"]) { $1 })
        try await producer.publish(batch: try TrainerReplicaTests.labelledVectors(copies: 6))
        try await producer.publish(TrainRequest(requestId: "while-down", kinds: [.spectraClass, .spectraMK]))
        try await eventually("training to finish despite MLflow being down") {
            (try? await HTTPClient().get(url + "/api/sessions/while-down")) != nil
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let trained = try decoder.decode([ModelTrained].self, from: Data(try await HTTPClient().get(url + "/api/models").body))
        #expect(Set(trained.map(\.modelId)) == ["spectra-class@1", "spectra-mk@1"])
        try await eventually("the export to be tried again") { try await Self.exports(url).allSatisfy { $0.attempts >= 2 } }
        let failing = try await Self.exports(url)
        #expect(failing.allSatisfy { $0.registered_version == nil && ($0.last_error ?? "").contains("127.0.0.1:\(closedPort)") }, "\(failing)")
        #expect(trainer.lines.contains { $0.contains("MLflow export failed; will retry") })
        await expectCleanShutdown([trainer])

        // MLflow reachable: the versions trained during the outage are exported now.
        (trainer, url) = try await Self.start(base.merging(["MLFLOW_TRACKING_URI": Self.mlflow]) { $1 })
        try await eventually(timeout: .seconds(60), "both versions exported") {
            try await Self.exports(url).allSatisfy { $0.registered_version != nil }
        }
        let mlflow = MLflowReader()
        for model in trained {
            let runs = try await mlflow.runs(experiment: "\(prefix)/\(model.kind.rawValue)")
            #expect(runs.count == 1, "\(model.modelId): \(runs.count) runs")
            let run = try #require(runs.first)
            let info = try #require(run["info"] as? [String: Any])
            let data = try #require(run["data"] as? [String: Any])
            #expect(info["run_name"] as? String == model.modelId)
            #expect(info["status"] as? String == "FINISHED")
            let params = Self.pairs(data["params"]), metrics = Self.pairs(data["metrics"]), tags = Self.pairs(data["tags"])
            // The kept algorithm's parameters; both candidates' held-out macro-F1.
            let kept = params["model"] == "random-forest" ? params["trees"] : params["model"] == "gradient-boosting" ? params["rounds"] : nil
            #expect(kept == "20" && params["feature_version"] == model.featureVersion, "\(params)")
            #expect(metrics["candidate_macro_f1.random-forest"] != nil && metrics["candidate_macro_f1.gradient-boosting"] != nil, "\(metrics.keys.sorted())")
            #expect(metrics["accuracy"].flatMap(Double.init) == model.accuracy, "\(metrics)")
            #expect(metrics["macro_f1"].flatMap(Double.init) == model.macroF1)
            #expect(metrics["validation_count"].flatMap(Double.init) == Double(model.validationCount))
            #expect(metrics.keys.contains { $0.hasPrefix("f1.") }, "per-class F1: \(metrics.keys.sorted())")
            #expect(tags["starstream.model_version"] == "1" && tags["starstream.feature_version"] == model.featureVersion)

            // The artifacts, listed by MLflow's artifact API.
            let runID = try #require(info["run_id"] as? String)
            let top = try await mlflow.json("GET", "mlflow/artifacts/list", query: ["run_id": runID])
            let files = Set((top["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String })
            #expect(files == ["evaluation.json", "model", "report"], "\(files)")

            // The registered version, from the model registry.
            let versions = try await mlflow.json("GET", "mlflow/model-versions/search", query: ["filter": "name = '\(prefix)-\(model.kind.rawValue)'"])
            let registered = try #require((versions["model_versions"] as? [[String: Any]]).flatMap { $0.count == 1 ? $0.first : nil }, "\(versions)")
            #expect(registered["run_id"] as? String == runID)
            let versionTags = Self.pairs(registered["tags"])
            #expect(versionTags["starstream.model_version"] == "1" && versionTags["starstream.feature_version"] == model.featureVersion, "\(versionTags)")
        }
        #expect(trainer.lines.contains { $0.contains("exported to MLflow") })
        await expectCleanShutdown([trainer])
    }
}
