import Contracts
import Foundation
import Hummingbird
import ServiceKit

/// The results users come for, read from the services that own them: spectra (cataloger,
/// preprocessor, feature extractor, classifier), papers (arxiv-poller, summarizer, classifier),
/// models (trainer) and drift (drift-monitor).
struct ResultsAPI: Sendable {
    let services: OwningServices

    var operations: [Operation] {
        [
            Operation(method: .get, path: "/api/spectra") { request, _ in
                try await services.forward("classifier", "/api/spectra/page" + (try Self.query(request, allowed: Self.spectraFilters)))
            },
            Operation(method: .get, path: "/api/spectra/{obsid}") { _, context in
                try ServiceRuntime.json(try await spectrum(obsid: try Self.integer("obsid", context)))
            },
            // The answers newer models replaced, and the re-classification that replaced them.
            Operation(method: .get, path: "/api/spectra/{obsid}/history") { request, context in
                let obsid = try Self.integer("obsid", context)
                guard obsid >= 0 else { throw Problem.badParameter("obsid", "obsid must be 0 or more, not \(obsid)") }
                return try await services.forward("classifier", "/api/spectra/\(obsid)/history" + (try Self.query(request, allowed: Self.historyFilters)))
            },
            Operation(method: .get, path: "/api/papers/{id}/history") { request, context in
                let id = try GatewayAPI.parameter("id", context)
                let escaped = (id.removingPercentEncoding ?? id).addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? id
                return try await services.forward("classifier", "/api/arxiv/\(escaped)/history" + (try Self.query(request, allowed: Self.historyFilters)))
            },
            Operation(method: .get, path: "/api/reclassification") { _, _ in try await services.forward("classifier", "/api/reclassification") },
            Operation(method: .get, path: "/api/papers") { request, _ in try await PaperListing(services: services).page(request) },
            Operation(method: .get, path: "/api/papers/{id}") { _, context in
                try ServiceRuntime.json(try await paper(id: try GatewayAPI.parameter("id", context)))
            },
            Operation(method: .get, path: "/api/models") { _, _ in try await services.forward("trainer", "/api/models") },
            Operation(method: .get, path: "/api/models/{kind}/latest") { _, context in
                try await services.forward("trainer", "/api/models/\(try Self.kind(context).rawValue)/latest")
            },
            Operation(method: .get, path: "/api/models/{kind}/{version}") { _, context in
                try await services.forward("trainer", "/api/models/\(try Self.kind(context).rawValue)/\(try Self.version(context))")
            },
            Operation(method: .get, path: "/api/models/{kind}/{version}/training-set") { _, context in
                let kind = try Self.kind(context)
                let set = ModelKind.spectra.contains(kind) ? "spectra" : "articles"
                return try await services.forward("trainer", "/api/models/\(kind.rawValue)/\(try Self.version(context))/\(set)")
            },
            Operation(method: .get, path: "/api/drift/reports") { _, _ in try await services.forward("drift-monitor", "/api/drift/reports") },
            Operation(method: .get, path: "/api/drift/alerts") { _, _ in try await services.forward("drift-monitor", "/api/drift/alerts") },
            Operation(method: .get, path: "/api/drift/reports/{id}/html") { _, context in
                let data = try await services.get("drift-monitor", "/api/drift/reports/\(try Self.integer("id", context))/html") ?? Data()
                return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
            },
        ]
    }

    /// One spectrum from the four services that hold a part of it, fetched side by side. The
    /// catalog row must exist; the other parts are null until their stage has run.
    func spectrum(obsid: Int) async throws -> [String: JSONFragment] {
        async let catalog = services.get("cataloger", "/api/catalog/\(obsid)")
        async let prediction = services.get("classifier", "/api/spectra/\(obsid)", missingIsNil: true)
        async let features = services.get("feature-extractor", "/api/features/\(obsid)", missingIsNil: true)
        async let spectrum = services.get("preprocessor", "/api/spectra/\(obsid)", missingIsNil: true)
        return [
            "obsid": .number(Double(obsid)), "catalog": .raw(try await catalog), "prediction": .raw(try await prediction),
            "features": .raw(try await features), "spectrum": .raw(try await spectrum),
        ]
    }

    /// One paper: its metadata and versions (arxiv-poller), summary and translations
    /// (summarizer), top-3 predictions (classifier).
    func paper(id raw: String) async throws -> [String: JSONFragment] {
        // Old-style ids hold a slash and arrive percent-encoded (`quant-ph%2F0201082`).
        let id = raw.removingPercentEncoding ?? raw
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? id
        async let article = services.get("arxiv-poller", "/api/arxiv/articles/\(escaped)")
        async let summary = services.get("summarizer", "/api/summaries/\(escaped)", missingIsNil: true)
        async let predictions = services.get("classifier", "/api/arxiv/\(escaped)", missingIsNil: true)
        return ["id": .string(id), "article": .raw(try await article), "summary": .raw(try await summary), "predictions": .raw(try await predictions)]
    }

    static let spectraFilters: [String: QueryRule] = [
        "class": .word, "mk": .word, "survey_class": .word, "plan": .word, "correct": .boolean, "min_confidence": .fraction, "cursor": .count, "limit": .pageSize,
    ]
    static let historyFilters: [String: QueryRule] = ["model": .modelVersion]
    static let paperFilters: [String: QueryRule] = [
        "category": .word, "from": .day, "until": .day, "q": .text, "correct": .boolean, "cursor": .text, "limit": .pageSize,
    ]

    /// The request's query, checked against `allowed` (a 400 naming the first bad or unknown
    /// parameter), re-encoded for the owning service.
    static func query(_ request: Request, allowed: [String: QueryRule]) throws -> String {
        encode(try checkedQuery(request, allowed: allowed))
    }

    static func checkedQuery(_ request: Request, allowed: [String: QueryRule]) throws -> [(name: String, value: String)] {
        try request.uri.queryParameters.map { name, value in
            let name = String(name), value = String(value)
            guard let rule = allowed[name] else {
                throw Problem.badParameter(name, "unknown parameter '\(name)'; this call takes \(allowed.keys.sorted().joined(separator: ", "))")
            }
            if let problem = rule.problem(value) { throw Problem.badParameter(name, "\(name) \(problem), not '\(value)'") }
            return (name, value)
        }
    }

    static func encode(_ query: [(name: String, value: String)]) -> String {
        let parts = query.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? value)"
        }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }

    static func integer(_ name: String, _ context: BasicRequestContext) throws -> Int {
        let text = try GatewayAPI.parameter(name, context)
        guard let value = Int(text) else { throw Problem.badParameter(name, "\(name) must be an integer, not '\(text)'") }
        return value
    }

    /// A model version: 1 up to PostgreSQL's largest integer, as the document says.
    static func version(_ context: BasicRequestContext) throws -> Int {
        let version = try integer("version", context)
        guard (1...Int(Int32.max)).contains(version) else { throw Problem.badParameter("version", "version must be from 1 to \(Int32.max), not \(version)") }
        return version
    }

    static func kind(_ context: BasicRequestContext) throws -> ModelKind {
        let name = try GatewayAPI.parameter("kind", context)
        guard let kind = ModelKind(rawValue: name) else {
            throw Problem.notFound("no model kind '\(name)'; kinds: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return kind
    }
}

/// What a query parameter may hold.
enum QueryRule: Sendable {
    case word, text, boolean, fraction, count, pageSize, day
    /// `spectra-mk@3`.
    case modelVersion

    func problem(_ value: String) -> String? {
        switch self {
        // ASCII, as the document's pattern says: labels, categories and plans are.
        case .word: value.isEmpty || value.count > 64 || !value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) }) ? "must be a single word of letters, digits, '.', '-' or '_'" : nil
        case .text: value.count > 200 ? "must be at most 200 characters" : nil
        case .boolean: ["true", "false"].contains(value) ? nil : "must be true or false"
        case .fraction: Double(value).map { (0...1).contains($0) } == true ? nil : "must be a number from 0 to 1"
        case .count: Int(value).map { $0 >= 0 } == true ? nil : "must be a whole number (0 or more)"
        case .pageSize: Int(value).map { (1...500).contains($0) } == true ? nil : "must be an integer from 1 to 500"
        case .day: (try? Actions.day(value, parameter: "")) == nil ? "must be a day as YYYY-MM-DD" : nil
        case .modelVersion: Self.isModelVersion(value) ? nil : "must be a model version such as spectra-mk@3"
        }
    }
}

extension QueryRule {
    /// A kind (a word) and a version (ASCII digits) joined by `@`, as the document's pattern says.
    static func isModelVersion(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        return value.count <= 64 && parts.count == 2 && QueryRule.word.problem(String(parts[0])) == nil
            && !parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// A piece of JSON the gateway passes on without decoding (an owning service's answer), or a
/// value of its own.
enum JSONFragment: Encodable, Sendable {
    case raw(Data?)
    case string(String)
    case number(Double)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .raw(nil): try container.encodeNil()
        case .raw(let data?): try container.encode(try JSONDecoder().decode(AnyJSON.self, from: data))
        case .string(let text): try container.encode(text)
        case .number(let value): try container.encode(value)
        }
    }
}

/// Any JSON value, decoded only to be encoded again.
enum AnyJSON: Codable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([AnyJSON]), object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([AnyJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: AnyJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
