import Foundation
import HTTPClient
import Hummingbird

/// Reads the owning services' HTTP APIs for the gateway: a service that does not answer is a
/// 503 naming it, a missing resource a 404, anything else a 502 saying what the service said.
/// The gateway never reads another service's tables.
struct OwningServices: Sendable {
    let endpoints: ServiceEndpoints
    let http = HTTPClient.failingFast(requestTimeout: .seconds(10), connectTimeout: .seconds(2))

    func url(of service: String) -> String {
        endpoints.urls.first { $0.name == service }?.url ?? "http://127.0.0.1:9"
    }

    /// The service's JSON at `path`; nil for a 404 when `missingIsNil`.
    func get(_ service: String, _ path: String, missingIsNil: Bool = false) async throws -> Data? {
        try await send(service, path, missingIsNil: missingIsNil)
    }

    /// POSTs `body` as JSON to the service; its JSON answer.
    func post(_ service: String, _ path: String, json body: some Encodable) async throws -> Data {
        try await send(service, path, method: "POST", body: Array(try JSONEncoder().encode(body))) ?? Data()
    }

    private func send(_ service: String, _ path: String, method: String = "GET", body: [UInt8]? = nil, missingIsNil: Bool = false) async throws -> Data? {
        let response: HTTPClientResponse
        do {
            let headers = body == nil ? [] : [("Content-Type", "application/json")]
            response = try await http.send(HTTPClientRequest(url: url(of: service) + path, method: method, headers: headers, body: body))
        } catch {
            throw Problem.unavailable(service: service, "\(error)")
        }
        switch response.status {
        case 200..<300: return Data(response.body)
        case 404 where missingIsNil: return nil
        case 404: throw Problem.notFound("\(service) has nothing at \(path)")
        case 503: throw Problem.unavailable(service: service, "it answered 503 (not ready) for \(path)")
        case 400:
            throw Problem(status: .badRequest, title: "Bad parameter", detail: "\(service): \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        default:
            throw Problem(
                status: .badGateway, title: "Bad gateway",
                detail: "\(service) answered \(response.status) for \(path): \(String(decoding: response.body.prefix(300), as: UTF8.self))", service: service)
        }
    }

    /// Passes the service's JSON through unchanged.
    func forward(_ service: String, _ path: String) async throws -> Response {
        let data = try await get(service, path) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension HTTPClient {
    /// A client for asking other services: no retries (the caller answers 503 at once, or tries
    /// again on its next refresh) and short timeouts.
    static func failingFast(requestTimeout: Duration, connectTimeout: Duration) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.retry = .none
        configuration.requestTimeout = requestTimeout
        configuration.connectTimeout = connectTimeout
        return HTTPClient(configuration: configuration)
    }
}
