import Contracts
import Mongo
import Spectra

/// The classifier's own collection for spectra: one document per OBSID, either classified or
/// waiting (with its features) for the first model.
struct SpectrumPredictionStore: Sendable {
    let collection: MongoCollection

    struct Document: Codable, Sendable {
        enum Status: String, Codable, Sendable { case classified, awaitingModel = "awaiting_model" }

        var obsid: Int
        var file: String
        var sha256: String
        var status: Status
        var surveyClass: String
        var surveySubclass: String
        /// The survey's PLANID (absent in documents stored before it was kept).
        var plan: String?
        var featureVersion: String
        var objectClass: SpectrumPrediction?
        var mkLetter: SpectrumPrediction?
        /// The vector as received, kept for classifying again with a newer model (absent in
        /// documents classified before it was kept).
        var features: FeatureVector?
        /// Whether the predicted CLASS agrees with the survey's (nil for an `Unknown` survey class).
        var classCorrect: Bool?

        enum CodingKeys: String, CodingKey {
            case obsid, file, sha256, status, surveyClass = "survey_class", surveySubclass = "survey_subclass", plan,
                 featureVersion = "feature_version", objectClass = "class", mkLetter = "mk_letter", features, classCorrect = "class_correct"
        }
    }

    static func prepare(_ client: MongoClient) async throws {
        try await client.collection("spectra_predictions").createIndex(keys: ["obsid": 1], unique: true)
        try await client.collection("spectra_predictions").createIndex(keys: ["status": 1])
        // The spectra pages: classified documents walked in OBSID windows, unfiltered or with
        // the one filter the store matches (see SpectrumPageQuery.storedEquality).
        try await client.collection("spectra_predictions").createIndex(keys: ["status": 1, "obsid": 1])
        for field in SpectrumPageField.allCases {
            try await client.collection("spectra_predictions").createIndex(keys: ["status": 1, field.rawValue: 1, "obsid": 1])
        }
        try await client.collection("spectra_predictions").createIndex(keys: ["class.label": 1])
    }

    func save(_ document: Document) async throws {
        try await collection.upsert(filter: ["obsid": document.obsid], document: document)
    }

    func document(obsid: Int) async throws -> Document? {
        try await collection.findOne(Document.self, filter: ["obsid": obsid])
    }

    func awaiting(limit: Int) async throws -> [Document] {
        try await collection.find(Document.self, filter: ["status": Document.Status.awaitingModel.rawValue], sort: ["obsid": 1], limit: limit)
    }

    /// Classified documents after `obsid`, in OBSID order (a re-classification pass's page).
    func classified(after obsid: Int, limit: Int) async throws -> [Document] {
        var filter = MongoFilter()
        filter.conditions["status"] = .string(Document.Status.classified.rawValue)
        filter.conditions["obsid"] = .range(above: obsid, atMost: Int.max)
        return try await collection.find(Document.self, filter: filter, sort: ["obsid": 1], limit: limit)
    }

    /// Stars classified before any MK model existed.
    func starsWithoutLetter(limit: Int) async throws -> [Document] {
        let filter: [String: String?] = ["status": Document.Status.classified.rawValue, "class.label": "STAR", "mk_letter": nil]
        return try await collection.find(Document.self, filter: filter, sort: ["obsid": 1], limit: limit)
    }

    struct Summary: Codable, Sendable {
        var classified: Int
        var awaitingModel: Int
        /// Share of classified spectra with a known survey class whose predicted CLASS agrees.
        var liveClassAccuracy: Double?
        enum CodingKeys: String, CodingKey { case classified, awaitingModel = "awaiting_model", liveClassAccuracy = "live_class_accuracy" }
    }

    func summary() async throws -> Summary {
        let classified = try await collection.count(filter: ["status": Document.Status.classified.rawValue])
        let awaiting = try await collection.count(filter: ["status": Document.Status.awaitingModel.rawValue])
        let right = try await collection.count(filter: ["class_correct": true])
        let wrong = try await collection.count(filter: ["class_correct": false])
        return Summary(classified: classified, awaitingModel: awaiting, liveClassAccuracy: right + wrong > 0 ? Double(right) / Double(right + wrong) : nil)
    }
}
