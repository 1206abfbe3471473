import ArgumentParser
import Contracts
import Foundation
import HTTPClient
import Redis
import Streams

/// `trainer train`: asks the trainer service to train now, through `models.train-requests`;
/// with `--wait`, follows the session on the trainer's HTTP API and prints its summary.
struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask the trainer service to train models now.")

    @Option(help: "Kinds to train: spectra, arxiv, or model kinds (\(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))).")
    var kinds: [String] = ["spectra"]
    @Flag(help: "Only examples no earlier model of the kind has used.") var unused = false
    @Option(help: "At most this many examples per kind.") var limit: Int?
    @Flag(help: "Wait for the session to finish and print its summary.") var wait = false
    @Option(help: "Give up waiting after this many seconds.") var timeout = 600

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var modelKinds: [ModelKind] = []
        for name in kinds {
            switch name {
            case "spectra": modelKinds += ModelKind.spectra
            case "arxiv": modelKinds += ModelKind.arxiv
            default:
                guard let kind = ModelKind(rawValue: name) else { throw ValidationError("unknown kind \(name)") }
                modelKinds.append(kind)
            }
        }
        let redis = try await RedisConnection.connect(RedisConfiguration(url: environment["REDIS_URL"] ?? "redis://127.0.0.1:6379/0"))
        let request = TrainRequest(
            requestId: "cli-" + UUID().uuidString.lowercased().prefix(8), kinds: modelKinds, selection: unused ? .unused : .all, limit: limit)
        try await StreamProducer(redis: redis, producer: "trainer-cli").publish(request)
        print("trainer: requested \(modelKinds.map(\.rawValue).joined(separator: ", ")) as \(request.requestId)")
        guard wait else { return }
        let base = environment["TRAINER_URL"] ?? "http://127.0.0.1:\(ServiceDirectory.defaultPort(of: "trainer"))"
        let client = HTTPClient()
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if let response = try? await client.get("\(base)/api/sessions/\(request.requestId)"), response.status == 200 {
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let session = try decoder.decode(TrainingSession.self, from: Data(response.body))
                for model in session.models { print("\(model.model)\n\(model.summary)") }
                for (kind, reason) in session.skipped.sorted(by: { $0.key < $1.key }) { print("\(kind): not trained: \(reason)") }
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw ValidationError("no finished session \(request.requestId) at \(base) after \(timeout) s")
    }
}
