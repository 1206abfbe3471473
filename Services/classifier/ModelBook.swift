import Contracts
import Foundation
import HTTPClient
import Learning

/// The models this classifier predicts with: the newest version of each kind it has loaded.
actor ModelBook {
    struct Loaded: Sendable {
        var announcement: ModelTrained
        var artifact: Artifact

        /// The spectra models' artifact, or nil for a text model.
        var model: TabularClassifier? {
            if case let .tabular(model) = artifact { return model }
            return nil
        }

        var text: TextClassifier? {
            if case let .text(model) = artifact { return model }
            return nil
        }
    }

    enum Artifact: Sendable {
        case tabular(TabularClassifier)
        case text(TextClassifier)
    }

    private var models: [ModelKind: Loaded] = [:]

    func model(_ kind: ModelKind) -> Loaded? {
        models[kind]
    }

    /// Installs `loaded` unless a newer version of its kind is already in; true when installed.
    func install(_ loaded: Loaded) -> Bool {
        if let current = models[loaded.announcement.kind], current.announcement.modelVersion >= loaded.announcement.modelVersion { return false }
        models[loaded.announcement.kind] = loaded
        return true
    }

    var announcements: [ModelTrained] {
        models.values.map(\.announcement).sorted { $0.kind.rawValue < $1.kind.rawValue }
    }
}

/// Reads models from the trainer's HTTP API (never from its tables).
struct TrainerClient: Sendable {
    let baseURL: String
    let http: HTTPClient

    struct Failure: Error, CustomStringConvertible {
        var url: String
        var status: Int
        var description: String { "trainer answered \(status) for \(url)" }
    }

    func latest(_ kind: ModelKind) async throws -> ModelTrained? {
        let url = "\(baseURL)/api/models/\(kind.rawValue)/latest"
        let response = try await http.get(url)
        if response.status == 404 { return nil }
        guard response.status == 200 else { throw Failure(url: url, status: response.status) }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ModelTrained.self, from: Data(response.body))
    }

    func artifact(of announcement: ModelTrained) async throws -> ModelBook.Artifact {
        let url = baseURL + announcement.artifactPath
        let response = try await http.get(url)
        guard response.status == 200 else { throw Failure(url: url, status: response.status) }
        let body = Data(response.body)
        return ModelKind.spectra.contains(announcement.kind)
            ? .tabular(try JSONDecoder().decode(TabularClassifier.self, from: body))
            : .text(try JSONDecoder().decode(TextClassifier.self, from: body))
    }
}
