import Foundation
import HTTPClient

/// The calls of MLflow's tracking REST API (`/api/2.0/mlflow/…`) and its artifact proxy
/// (`/api/2.0/mlflow-artifacts/…`, served by `mlflow server` by default) that an export needs.
/// Authenticates as MLflow's own client does: `MLFLOW_TRACKING_TOKEN` (bearer), or
/// `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD` (basic); neither is ever logged.
struct MLflowClient: Sendable {
    /// The tracking server, without a trailing slash (`http://mlflow:5000`).
    let baseURL: String
    let http: HTTPClient
    var authorization: String?

    /// An answer of MLflow other than success, with its error code (`RESOURCE_ALREADY_EXISTS`).
    struct APIError: Error, CustomStringConvertible {
        var call: String
        var status: Int
        var code: String?
        var message: String
        var description: String { "MLflow \(call) answered HTTP \(status)\(code.map { " \($0)" } ?? ""): \(message.prefix(300))" }
    }

    struct Run: Sendable {
        var id: String
        var artifactURI: String
    }

    init(baseURL: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var configuration = HTTPClient.Configuration()
        // One attempt per call: a create that timed out may have been applied, and sending it
        // again would make a second run or registered version. The exporter retries the whole
        // export later, and it looks a run and a version up before creating them.
        configuration.connectTimeout = .seconds(5)
        configuration.requestTimeout = .seconds(30)
        configuration.retry.maxAttempts = 1
        configuration.concurrency = 2
        http = HTTPClient(configuration: configuration)
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty {
            authorization = "Bearer \(token)"
        } else if let user = environment["MLFLOW_TRACKING_USERNAME"], !user.isEmpty {
            let password = environment["MLFLOW_TRACKING_PASSWORD"] ?? ""
            authorization = "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        }
    }

    // MARK: Experiments and runs

    /// The id of the experiment called `name`, created when missing (by this or another replica).
    func experimentID(named name: String) async throws -> String {
        do {
            let answer = try await call("GET", "mlflow/experiments/get-by-name", query: ["experiment_name": name])
            return try string(answer, "experiment", "experiment_id")
        } catch let error as APIError where error.code == "RESOURCE_DOES_NOT_EXIST" {
            do {
                return try string(try await call("POST", "mlflow/experiments/create", body: ["name": name]), "experiment_id")
            } catch let error as APIError where error.code == "RESOURCE_ALREADY_EXISTS" {
                return try string(try await call("GET", "mlflow/experiments/get-by-name", query: ["experiment_name": name]), "experiment", "experiment_id")
            }
        }
    }

    func run(id: String) async throws -> Run {
        try Self.run(in: try await call("GET", "mlflow/runs/get", query: ["run_id": id]))
    }

    /// The run of `experiment` whose tag `key` is `value`, if one exists.
    func findRun(experimentID: String, tag key: String, value: String) async throws -> Run? {
        let answer = try await call("POST", "mlflow/runs/search", body: [
            "experiment_ids": [experimentID], "filter": "tags.`\(key)` = '\(value.replacingOccurrences(of: "'", with: ""))'", "max_results": 1,
        ])
        guard let runs = answer["runs"] as? [[String: Any]], let first = runs.first else { return nil }
        return try Self.run(in: ["run": first])
    }

    func createRun(experimentID: String, name: String, startTime: Date, tags: [(String, String)]) async throws -> Run {
        try Self.run(in: try await call("POST", "mlflow/runs/create", body: [
            "experiment_id": experimentID, "run_name": name, "start_time": Self.milliseconds(startTime),
            "tags": tags.map { ["key": $0.0, "value": $0.1] },
        ]))
    }

    /// Logs parameters, metrics (all at `time`, step 0, so a repeated export logs the same
    /// points again, which MLflow keeps once) and tags, within the API's limits per request.
    func log(runID: String, params: [(String, String)], metrics: [(String, Double)], tags: [(String, String)], time: Date) async throws {
        let stamp = Self.milliseconds(time)
        for chunk in stride(from: 0, to: max(params.count, 1), by: 100) {
            let slice = params[chunk..<min(chunk + 100, params.count)]
            try await call("POST", "mlflow/runs/log-batch", body: ["run_id": runID, "params": slice.map { ["key": $0.0, "value": $0.1] }])
        }
        for chunk in stride(from: 0, to: metrics.count, by: 900) {
            let slice = metrics[chunk..<min(chunk + 900, metrics.count)]
            try await call("POST", "mlflow/runs/log-batch", body: [
                "run_id": runID, "metrics": slice.map { ["key": $0.0, "value": $0.1, "timestamp": stamp, "step": 0] as [String: Any] },
            ])
        }
        for chunk in stride(from: 0, to: tags.count, by: 100) {
            let slice = tags[chunk..<min(chunk + 100, tags.count)]
            try await call("POST", "mlflow/runs/log-batch", body: ["run_id": runID, "tags": slice.map { ["key": $0.0, "value": $0.1] }])
        }
    }

    func finish(runID: String, at time: Date) async throws {
        try await call("POST", "mlflow/runs/update", body: ["run_id": runID, "status": "FINISHED", "end_time": Self.milliseconds(time)])
    }

    // MARK: Artifacts

    /// Whether the run's artifacts go through the tracking server (`mlflow-artifacts:` URIs);
    /// otherwise they live in a store this client cannot reach (S3, a path on the server).
    static func isProxied(_ run: Run) -> Bool { run.artifactURI.hasPrefix("mlflow-artifacts:") }

    /// Uploads `bytes` as `path` (`model/model.json`) among the run's artifacts.
    func upload(_ bytes: [UInt8], as path: String, to run: Run, contentType: String = "application/json") async throws {
        let url = try artifactURL(run, path)
        let response = try await http.send(HTTPClientRequest(
            url: url, method: "PUT", headers: headers([("Content-Type", contentType)]), body: bytes))
        guard response.isSuccess else { throw Self.apiError("PUT artifact \(path)", response) }
    }

    /// The paths of the run's artifacts under `folder` ("" for its top).
    func artifacts(of run: Run, in folder: String = "") async throws -> [String] {
        let prefix = try proxiedPath(run)
        let answer = try await call("GET", "mlflow-artifacts/artifacts", query: ["path": folder.isEmpty ? prefix : prefix + "/" + folder])
        return (answer["files"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }.map { folder.isEmpty ? $0 : folder + "/" + $0 }
    }

    private func proxiedPath(_ run: Run) throws -> String {
        guard Self.isProxied(run) else { throw APIError(call: "artifacts", status: 0, code: nil, message: "artifact store \(run.artifactURI) is not served by the tracking server") }
        var path = String(run.artifactURI.dropFirst("mlflow-artifacts:".count))
        if path.hasPrefix("//") { path = String(path.dropFirst(2).drop { $0 != "/" }) }  // mlflow-artifacts://host/…
        return path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    private func artifactURL(_ run: Run, _ path: String) throws -> String {
        let encoded = (try proxiedPath(run) + "/" + path).split(separator: "/").map {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? String($0)
        }.joined(separator: "/")
        return "\(baseURL)/api/2.0/mlflow-artifacts/artifacts/\(encoded)"
    }

    // MARK: Model registry

    func ensureRegisteredModel(_ name: String, description: String) async throws {
        do {
            try await call("POST", "mlflow/registered-models/create", body: ["name": name, "description": description])
        } catch let error as APIError where error.code == "RESOURCE_ALREADY_EXISTS" {}
    }

    /// The registered version of `name` made from `runID`, if there is one.
    func modelVersion(_ name: String, runID: String) async throws -> String? {
        let answer = try await call("GET", "mlflow/model-versions/search", query: ["filter": "name = '\(name)' and run_id = '\(runID)'"])
        return (answer["model_versions"] as? [[String: Any]])?.first?["version"] as? String
    }

    func createModelVersion(_ name: String, source: String, runID: String, tags: [(String, String)]) async throws -> String {
        try string(try await call("POST", "mlflow/model-versions/create", body: [
            "name": name, "source": source, "run_id": runID, "tags": tags.map { ["key": $0.0, "value": $0.1] },
        ]), "model_version", "version")
    }

    // MARK: Transport

    @discardableResult
    func call(_ method: String, _ path: String, query: [String: String] = [:], body: [String: Any]? = nil) async throws -> [String: Any] {
        var url = "\(baseURL)/api/2.0/\(path)"
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            // `+` is a space to MLflow's query parser: encode it too.
            url += "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        }
        let payload = try body.map { Array(try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys])) }
        let response = try await http.send(HTTPClientRequest(
            url: url, method: method, headers: headers(payload == nil ? [] : [("Content-Type", "application/json")]), body: payload))
        guard response.isSuccess else { throw Self.apiError("\(method) \(path)", response) }
        if response.body.isEmpty { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw APIError(call: "\(method) \(path)", status: response.status, code: nil, message: "answered something other than a JSON object: \(response.text.prefix(200))")
        }
        return object
    }

    private func headers(_ extra: [(String, String)]) -> [(String, String)] {
        extra + (authorization.map { [("Authorization", $0)] } ?? [])
    }

    private static func apiError(_ call: String, _ response: HTTPClientResponse) -> APIError {
        let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return APIError(call: call, status: response.status, code: object?["error_code"] as? String,
                        message: object?["message"] as? String ?? response.text)
    }

    private func string(_ object: [String: Any], _ keys: String...) throws -> String {
        var value: Any? = object
        for key in keys { value = (value as? [String: Any])?[key] }
        guard let text = value as? String else {
            throw APIError(call: keys.joined(separator: "."), status: 200, code: nil, message: "the answer lacks \(keys.joined(separator: "."))")
        }
        return text
    }

    private static func run(in answer: [String: Any]) throws -> Run {
        guard let info = (answer["run"] as? [String: Any])?["info"] as? [String: Any],
            let id = info["run_id"] as? String ?? info["run_uuid"] as? String, let uri = info["artifact_uri"] as? String
        else { throw APIError(call: "runs", status: 200, code: nil, message: "the answer lacks run.info.run_id or artifact_uri") }
        return Run(id: id, artifactURI: uri)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
