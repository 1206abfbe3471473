import Foundation
import HTTPClient
import Hummingbird

/// Who may do what: every state-changing call needs `Authorization: Bearer <GATEWAY_TOKEN>`;
/// reads are open unless `GATEWAY_READ_TOKEN` is set, and then need it (or the write token).
/// Without a configured write token, mutations are refused with a 403 saying how to allow them.
///
/// Tokens are compared by their SHA-256 digests, byte by byte without an early exit, so the
/// time taken says nothing about how much of a guess was right. No token is ever logged.
struct AccessControl: Sendable {
    let writeToken: String?
    let readToken: String?

    /// Paths anyone may read, whatever the tokens: probes, metrics, the dashboard's shell and
    /// assets (they hold no data; the data comes from the API with the user's token).
    static func isPublic(_ path: String) -> Bool {
        ["/livez", "/readyz", "/metrics", "/", "/dead-letters", "/docs", "/openapi.json", "/spectra", "/papers", "/models", "/drift"].contains(path)
            || ["/assets/", "/spectra/", "/papers/", "/models/"].contains { path.hasPrefix($0) }
    }

    func check(method: HTTPRequest.Method, path: String, authorization: String?) throws {
        let presented = authorization.flatMap(Self.bearer)
        if method == .get || method == .head {
            guard let readToken, !Self.isPublic(path) else { return }
            if let presented, Self.matches(presented, readToken) || writeToken.map({ Self.matches(presented, $0) }) == true { return }
            throw Self.unauthorized("reading needs Authorization: Bearer <GATEWAY_READ_TOKEN>")
        }
        guard let writeToken else {
            throw Problem(
                status: .forbidden, title: "Mutations disabled",
                detail: "this gateway has no GATEWAY_TOKEN: set GATEWAY_TOKEN in its environment to allow state-changing calls")
        }
        guard let presented, Self.matches(presented, writeToken) else {
            throw Self.unauthorized("this call changes state: send Authorization: Bearer <GATEWAY_TOKEN>")
        }
    }

    static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    static func matches(_ presented: String, _ expected: String) -> Bool {
        let left = digest(presented), right = digest(expected)
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0 && left.count == right.count
    }

    private static func digest(_ text: String) -> [UInt8] {
        var hash = SHA256()
        hash.update(Array(text.utf8))
        return Array(hash.finalize().utf8)
    }

    private static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, title: "Unauthorized", detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }
}

struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: AccessControl

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try access.check(method: request.method, path: request.uri.path, authorization: request.headers[.authorization])
        return try await next(request, context)
    }
}
