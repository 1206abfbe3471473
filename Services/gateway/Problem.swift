import Foundation
import Hummingbird

/// An error answer in RFC 9457's `application/problem+json`, naming what was wrong: the bad
/// parameter, the missing resource, or the service that is down.
struct Problem: HTTPResponseError, CustomStringConvertible {
    var status: HTTPResponse.Status
    var title: String
    var detail: String
    /// The query or path parameter at fault, for 400s.
    var parameter: String?
    /// The owning service that did not answer, for 503s.
    var service: String?
    var headers: HTTPFields = [:]

    var description: String { "\(status.code) \(title): \(detail)" }

    static func badParameter(_ name: String, _ detail: String) -> Problem {
        Problem(status: .badRequest, title: "Bad parameter", detail: detail, parameter: name)
    }

    static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, title: "Not found", detail: detail)
    }

    static func unavailable(service: String, _ detail: String) -> Problem {
        Problem(status: .serviceUnavailable, title: "Service unavailable", detail: "\(service): \(detail)", service: service)
    }

    private struct Body: Encodable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var instance: String
        var parameter: String?
        var service: String?
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(title: title, status: Int(status.code), detail: detail, instance: request.uri.path, parameter: parameter, service: service)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }
}

/// Turns every error a route throws, and the router's own 404s, into a problem document, so
/// that clients meet one error format.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            throw problem
        } catch let error as HTTPError {
            throw Problem(
                status: error.status, title: error.status.reasonPhrase,
                detail: error.body ?? (error.status == .notFound ? "no resource at \(request.uri.path)" : error.status.reasonPhrase))
        } catch {
            context.logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": "\(error)"])
            // The error's text can name internals (hosts, files, SQL): it goes to the log only.
            throw Problem(
                status: .internalServerError, title: "Internal error",
                detail: "the gateway failed on \(request.method.rawValue) \(request.uri.path); its log has the error")
        }
    }
}
