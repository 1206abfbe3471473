import Hummingbird

/// Methods against the API's paths, before anything else looks at the request: a path the API
/// serves, asked with a method it does not take, is a 405 naming the methods it does take (in
/// `Allow`), not a 404 that says the resource is absent nor a 401 that asks for a token. OPTIONS
/// lists the methods. (HEAD has routes of its own: the router picks a route before middleware runs.)
struct MethodMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Each API path template's segments (`nil` for a `{parameter}`) and its methods.
    let templates: [(segments: [String?], methods: Set<HTTPRequest.Method>)]

    init(operations: [Operation]) {
        var byPath: [String: Set<HTTPRequest.Method>] = [:]
        for operation in operations {
            byPath[operation.path, default: []].insert(operation.method)
            if operation.method == .get { byPath[operation.path, default: []].insert(.head) }
        }
        templates = byPath.map { path, methods in
            (path.split(separator: "/").map { $0.hasPrefix("{") ? nil : String($0) }, methods)
        }
    }

    func methods(for path: String) -> Set<HTTPRequest.Method>? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        // Several templates can match (`…/{stream}/replay` and `…/{stream}/{id}`): like the
        // router, the one with the most literal segments wins.
        let matching = templates.filter { template in
            template.segments.count == parts.count
                && zip(template.segments, parts).allSatisfy { expected, part in !part.isEmpty && (expected == nil || expected == part) }
        }
        return matching.max { $0.segments.compactMap { $0 }.count < $1.segments.compactMap { $0 }.count }?.methods
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let methods = methods(for: request.uri.path) else { return try await next(request, context) }
        if methods.contains(request.method) { return try await next(request, context) }
        let allow = methods.map(\.rawValue).sorted().joined(separator: ", ") + ", OPTIONS"
        switch request.method {
        case .options:
            return Response(status: .noContent, headers: [.allow: allow])
        default:
            throw Problem(
                status: .methodNotAllowed, title: "Method not allowed",
                detail: "\(request.uri.path) takes \(allow), not \(request.method.rawValue)", headers: [.allow: allow])
        }
    }
}
