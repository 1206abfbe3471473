import Arxiv
import Contracts
import Foundation
import Hummingbird
import Streams

/// What `POST /api/actions/*` answers: the request's id and where it was published.
struct Accepted: Codable, Sendable {
    var requestId: String
    var stream: String
    var entryId: String
    enum CodingKeys: String, CodingKey { case requestId = "request_id", stream, entryId = "entry_id" }
}

/// The actions a user can start from the gateway: each publishes the same request message the
/// services' own commands publish (`trainer train`, `fetcher enqueue`, `arxiv-poller poll`).
struct Actions: Sendable {
    let producer: StreamProducer

    struct TrainBody: Decodable {
        var kinds: [String]?
        var selection: String?
        var limit: Int?
    }

    struct FetchBody: Decodable {
        var baseURL: String
        var plans: [String]
        var limitPerPlan: Int?
        enum CodingKeys: String, CodingKey { case baseURL = "base_url", plans, limitPerPlan = "limit_per_plan" }
    }

    struct BackfillBody: Decodable {
        var from: String
        var until: String
    }

    func train(_ request: Request, trace: String) async throws -> Accepted {
        let body = try await Self.decode(TrainBody.self, from: request, fields: ["kinds", "selection", "limit"])
        var kinds = ModelKind.allCases
        if let names = body.kinds {
            kinds = try names.map { name in
                guard let kind = ModelKind(rawValue: name) else {
                    throw Problem.badParameter("kinds", "unknown model kind '\(name)'; kinds: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            }
            if kinds.isEmpty { throw Problem.badParameter("kinds", "name at least one model kind, or leave kinds out for all") }
        }
        let selection = try body.selection.map { value in
            guard let selection = TrainRequest.Selection(rawValue: value) else { throw Problem.badParameter("selection", "selection is 'all' or 'unused', not '\(value)'") }
            return selection
        } ?? .all
        if let limit = body.limit, limit < 1 { throw Problem.badParameter("limit", "limit must be at least 1") }
        let message = TrainRequest(requestId: UUID().uuidString.lowercased(), kinds: kinds, selection: selection, limit: body.limit, reason: "gateway")
        return Accepted(requestId: message.requestId, stream: TrainRequest.stream, entryId: try await producer.publish(message, trace: trace))
    }

    func fetch(_ request: Request, trace: String) async throws -> Accepted {
        let body = try await Self.decode(FetchBody.self, from: request, fields: ["base_url", "plans", "limit_per_plan"])
        guard let scheme = URL(string: body.baseURL)?.scheme, ["http", "https", "file"].contains(scheme) else {
            throw Problem.badParameter("base_url", "base_url must be an http(s):// archive directory or a file:// mirror, not '\(body.baseURL)'")
        }
        let plans = body.plans.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !plans.isEmpty else { throw Problem.badParameter("plans", "name at least one plan directory") }
        if let bad = plans.first(where: { $0.contains("/") || $0 == ".." }) { throw Problem.badParameter("plans", "'\(bad)' is not a plan directory name") }
        if let limit = body.limitPerPlan, limit < 1 { throw Problem.badParameter("limit_per_plan", "limit_per_plan must be at least 1") }
        let message = SpectraFetchRequest(requestId: UUID().uuidString.lowercased(), baseURL: body.baseURL, plans: plans, limitPerPlan: body.limitPerPlan)
        return Accepted(requestId: message.requestId, stream: SpectraFetchRequest.stream, entryId: try await producer.publish(message, trace: trace))
    }

    func backfill(_ request: Request, trace: String) async throws -> Accepted {
        let body = try await Self.decode(BackfillBody.self, from: request, fields: ["from", "until"])
        let from = try Self.day(body.from, parameter: "from")
        let until = try Self.day(body.until, parameter: "until")
        guard from <= until else { throw Problem.badParameter("until", "until (\(body.until)) is before from (\(body.from))") }
        let message = ArxivPollRequest(requestId: UUID().uuidString.lowercased(), from: from, until: until)
        return Accepted(requestId: message.requestId, stream: ArxivPollRequest.stream, entryId: try await producer.publish(message, trace: trace))
    }

    /// A strict `YYYY-MM-DD` (not DateFormatter's, which stops the process on a digit followed
    /// by a combining mark in a user's text, and reads `2026-1-1` and `2026-02-30`).
    static func day(_ text: String, parameter: String) throws -> Date {
        guard let date = ArxivDay.date(text) else { throw Problem.badParameter(parameter, "\(parameter) must be a day as YYYY-MM-DD, not '\(text)'") }
        return date
    }

    /// The JSON body as `T`, or a 400 naming the field that is missing or of the wrong type.
    /// `fields`: the body's documented fields, none of which may be an explicit null (the
    /// document gives none a null type; an absent field takes its default). Others are ignored.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, fields: Set<String>) async throws -> T {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        if let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any],
           let field = object.first(where: { fields.contains($0.key) && $0.value is NSNull })?.key {
            throw Problem.badParameter(field, "'\(field)' is null; leave it out for its default")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw Problem.badParameter(key.stringValue, "the body lacks '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Problem.badParameter(field, "'\(field)' has the wrong type: \(context.debugDescription)")
        } catch {
            throw Problem.badParameter("body", "the body is not the JSON object this call takes: \(error)")
        }
    }
}
