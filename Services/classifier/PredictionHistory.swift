import Contracts
import Mongo

/// The predictions a newer model replaced, kept so that an answer stays queryable by the
/// model version that gave it (`GET /api/spectra/{obsid}/history?model=spectra-mk@3`). One
/// document per item and model; the classifier's own collections.
struct PredictionHistory: Sendable {
    let spectra: MongoCollection
    let papers: MongoCollection

    struct SpectrumEntry: Codable, Sendable, Equatable {
        var obsid: Int
        /// `spectra-mk@3`: the model that gave `prediction`.
        var model: String
        var prediction: SpectrumPrediction
        /// The model whose answer replaced it.
        var replacedBy: String

        enum CodingKeys: String, CodingKey { case obsid, model, prediction, replacedBy = "replaced_by" }
    }

    struct PaperEntry: Codable, Sendable, Equatable {
        var articleId: String
        var version: Int
        var model: String
        var prediction: ArxivPrediction
        var replacedBy: String

        enum CodingKeys: String, CodingKey { case articleId = "article_id", version, model, prediction, replacedBy = "replaced_by" }
    }

    static func prepare(_ client: MongoClient) async throws {
        try await client.collection("spectra_prediction_history").createIndex(keys: ["obsid": 1, "model": 1], unique: true)
        try await client.collection("classification_history").createIndex(keys: ["article_id": 1, "version": 1, "model": 1], unique: true)
    }

    private struct SpectrumKey: Encodable, Sendable { var obsid: Int; var model: String }
    private struct PaperKey: Encodable, Sendable {
        var articleId: String, version: Int, model: String
        enum CodingKeys: String, CodingKey { case articleId = "article_id", version, model }
    }

    /// Keeps `old` unless it came from the model that replaces it (a redelivery, a repeated pass).
    func keep(obsid: Int, old: SpectrumPrediction?, replacedBy new: SpectrumPrediction?) async throws {
        guard let old, old.model != new?.model else { return }
        let entry = SpectrumEntry(obsid: obsid, model: old.model, prediction: old, replacedBy: new?.model ?? "none")
        try await spectra.upsert(filter: SpectrumKey(obsid: obsid, model: old.model), document: entry)
    }

    func keep(articleId: String, version: Int, old: ArxivPrediction?, replacedBy new: ArxivPrediction?) async throws {
        guard let old, old.model != new?.model else { return }
        let entry = PaperEntry(articleId: articleId, version: version, model: old.model, prediction: old, replacedBy: new?.model ?? "none")
        try await papers.upsert(filter: PaperKey(articleId: articleId, version: version, model: old.model), document: entry)
    }

    /// A spectrum's replaced predictions, optionally of one model only, oldest model first.
    func spectrum(obsid: Int, model: String?) async throws -> [SpectrumEntry] {
        let found = try await spectra.find(SpectrumEntry.self, filter: ["obsid": obsid])
        return found.filter { model == nil || $0.model == model }.sorted { Self.order($0.model) < Self.order($1.model) }
    }

    /// A paper's replaced predictions (every version of it), optionally of one model only.
    func paper(articleId: String, model: String?) async throws -> [PaperEntry] {
        let found = try await papers.find(PaperEntry.self, filter: ["article_id": articleId])
        return found.filter { model == nil || $0.model == model }
            .sorted { ($0.version, Self.order($0.model).kind, Self.order($0.model).version) < ($1.version, Self.order($1.model).kind, Self.order($1.model).version) }
    }

    /// (`spectra-mk`, 3) for `spectra-mk@3`: kinds apart, versions in number order.
    static func order(_ model: String) -> (kind: String, version: Int) {
        let parts = model.split(separator: "@")
        return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 0 : 0)
    }
}
