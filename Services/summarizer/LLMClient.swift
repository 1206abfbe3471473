import Foundation
import HTTPClient
import Streams

/// An OpenAI-compatible chat-completions endpoint (Mistral's `https://api.mistral.ai/v1`,
/// OpenAI, or a local server): `POST {base}/chat/completions`. The HTTP client retries 429 and
/// 5xx with back-off, honouring `Retry-After`; at most `concurrency` calls run at once.
struct LLMClient: Sendable {
    let baseURL: String
    let apiKey: String
    let model: String
    let http: HTTPClient
    let gate: ConcurrencyGate
    let timeout: Duration

    struct Failure: Error, CustomStringConvertible {
        var url: String
        var status: Int
        var body: String
        var description: String { "LLM at \(url) answered HTTP \(status): \(body.prefix(300))" }
    }

    /// A request the server refuses for good (bad key, unknown model, bad request): retrying
    /// would not help, so the article goes to the dead-letter stream at once.
    struct Refused: Error, NonRetryableError, CustomStringConvertible {
        var failure: Failure
        var description: String { failure.description }
    }

    private struct Request: Encodable {
        struct Message: Encodable { var role: String; var content: String }
        var model: String
        var messages: [Message]
        var temperature: Double
    }

    private struct Response: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
        }
        var choices: [Choice]
    }

    func complete(system: String, user: String) async throws -> String {
        let url = baseURL.hasSuffix("/") ? baseURL + "chat/completions" : baseURL + "/chat/completions"
        let body = try JSONEncoder().encode(Request(
            model: model, messages: [.init(role: "system", content: system), .init(role: "user", content: user)], temperature: 0.2))
        let response = try await gate.run {
            try await http.send(HTTPClientRequest(
                url: url, method: "POST", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(apiKey)")],
                body: [UInt8](body), timeout: timeout))
        }
        guard response.isSuccess else {
            let failure = Failure(url: url, status: response.status, body: response.text)
            if [400, 401, 403, 404, 422].contains(response.status) { throw Refused(failure: failure) }
            throw failure
        }
        let decoded = try JSONDecoder().decode(Response.self, from: Data(response.body))
        guard let content = decoded.choices.first?.message.content?.trimmingCharacters(in: .whitespacesAndNewlines), !content.isEmpty else {
            throw Failure(url: url, status: response.status, body: "no message content in the answer")
        }
        return content
    }
}

/// At most `limit` operations at once; the others wait in line.
actor ConcurrencyGate {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        if running >= limit { await withCheckedContinuation { waiting.append($0) } } else { running += 1 }
        defer {
            if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        }
        return try await operation()
    }
}
