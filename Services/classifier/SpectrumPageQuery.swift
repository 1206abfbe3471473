import Hummingbird

/// A field the spectra pages filter on by equality. The order of the cases is the order in which
/// one of them is chosen to be matched by the store (see `SpectrumPageQuery.split`): the most
/// selective first, as far as a field's meaning tells (a plan holds a few hundred spectra, a
/// letter a seventh of the stars, the survey's and the predicted class mostly STAR).
enum SpectrumPageField: String, CaseIterable, Sendable {
    case plan
    case mkLetter = "mk_letter.label"
    case classCorrect = "class_correct"
    case surveyClass = "survey_class"
    case objectClass = "class.label"

    /// The query parameter that asks for it.
    var parameter: String {
        switch self {
        case .plan: "plan"
        case .mkLetter: "mk"
        case .classCorrect: "correct"
        case .surveyClass: "survey_class"
        case .objectClass: "class"
        }
    }

    /// This field of a stored document, as the filter compares it.
    func value(in document: SpectrumPredictionStore.Document) -> MongoFilter.Value? {
        switch self {
        case .plan: document.plan.map(MongoFilter.Value.string)
        case .mkLetter: document.mkLetter.map { .string($0.label) }
        case .classCorrect: document.classCorrect.map(MongoFilter.Value.bool)
        case .surveyClass: .string(document.surveyClass)
        case .objectClass: document.objectClass.map { .string($0.label) }
        }
    }
}

/// One `GET /api/spectra/page`: its filters and where it starts.
struct SpectrumPageQuery: Sendable, Equatable {
    var equalities: [SpectrumPageField: MongoFilter.Value] = [:]
    /// The least probability of the predicted class.
    var minimumConfidence: Double?
    var limit = 50
    /// The page starts after this OBSID.
    var cursor: Int?

    static let limits = 1...500

    init(equalities: [SpectrumPageField: MongoFilter.Value] = [:], minimumConfidence: Double? = nil, limit: Int = 50, cursor: Int? = nil) {
        self.equalities = equalities
        self.minimumConfidence = minimumConfidence
        self.limit = limit
        self.cursor = cursor
    }

    /// Reads the query string; a bad value is a 400 naming its parameter.
    init(_ parameters: Parameters) throws {
        for field in SpectrumPageField.allCases {
            guard let text = parameters.get(field.parameter) else { continue }
            if field == .classCorrect {
                guard let flag = Bool(text) else { throw HTTPError(.badRequest, message: "correct must be true or false, not \(text)") }
                equalities[field] = .bool(flag)
            } else {
                equalities[field] = .string(text)
            }
        }
        minimumConfidence = try parameters.get("min_confidence").map { text in
            guard let value = Double(text), (0...1).contains(value) else { throw HTTPError(.badRequest, message: "min_confidence must be from 0 to 1, not \(text)") }
            return value
        }
        limit = try parameters.get("limit").map { text in
            guard let value = Int(text), Self.limits.contains(value) else { throw HTTPError(.badRequest, message: "limit must be from 1 to 500, not \(text)") }
            return value
        } ?? 50
        cursor = try parameters.get("cursor").map { text in
            guard let value = Int(text) else { throw HTTPError(.badRequest, message: "cursor must be an OBSID, not \(text)") }
            return value
        }
    }

    /// The one equality the store matches: it has an index on status, that field and OBSID, and
    /// the stand-in walks an index only when every equality of a query is in it. The rest are
    /// matched here (`passes`).
    var storedEquality: SpectrumPageField? {
        SpectrumPageField.allCases.first { equalities[$0] != nil }
    }

    /// Whether a document the store found passes the filters it did not apply (all but `stored`).
    func passes(_ document: SpectrumPredictionStore.Document, besides stored: SpectrumPageField?) -> Bool {
        for (field, value) in equalities where field != stored && field.value(in: document) != value { return false }
        if let minimumConfidence {
            let confidence = document.objectClass.map { $0.probabilities[$0.label] ?? 0 } ?? 0
            if confidence < minimumConfidence { return false }
        }
        return true
    }
}
