import Contracts
import Foundation
import Hummingbird
import ServiceKit
import Streams

/// One operation of the gateway's REST API. The table below registers the routes and is what
/// the test compares with the OpenAPI document, so the two cannot drift apart unnoticed.
struct Operation: Sendable {
    var method: HTTPRequest.Method
    /// OpenAPI's template (`/api/dead-letters/{stream}`).
    var path: String
    var handle: @Sendable (Request, BasicRequestContext) async throws -> Response

    /// Hummingbird's form of the path (`/api/dead-letters/:stream`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }
}

/// The gateway's API over Redis and the status board.
struct GatewayAPI: Sendable {
    let board: StatusBoard
    let aggregator: StatusAggregator
    let deadLetters: DeadLetterStore
    let actions: Actions
    let results: ResultsAPI

    var operations: [Operation] {
        results.operations + [
            Operation(method: .get, path: "/api/status") { _, _ in Self.json(await encodedStatus().status()) },
            Operation(method: .get, path: "/api/streams") { _, _ in Self.json(ByteBuffer(bytes: await encodedStatus().streams)) },
            Operation(method: .get, path: "/api/dead-letters") { _, _ in try ServiceRuntime.json(try await deadLetters.counts()) },
            Operation(method: .get, path: "/api/dead-letters/{stream}") { request, context in
                let stream = try DeadLetterStore.stream(try Self.parameter("stream", context))
                let limit = try Self.limit(request)
                let cursor = request.uri.queryParameters.get("cursor")
                if let cursor, !Self.isEntryId(cursor) { throw Problem.badParameter("cursor", "cursor must be an entry id as returned in next_cursor, not '\(cursor)'") }
                return try ServiceRuntime.json(try await deadLetters.page(stream: stream, cursor: cursor, limit: limit))
            },
            Operation(method: .get, path: "/api/dead-letters/{stream}/{id}") { _, context in
                let (stream, id) = try Self.letterPath(context)
                guard let letter = try await deadLetters.letter(stream: stream, id: id) else { throw Problem.notFound("no dead letter \(id) in \(stream).dlq") }
                return try ServiceRuntime.json(letter)
            },
            Operation(method: .delete, path: "/api/dead-letters/{stream}/{id}") { _, context in
                let (stream, id) = try Self.letterPath(context)
                guard try await deadLetters.delete(stream: stream, id: id) else { throw Problem.notFound("no dead letter \(id) in \(stream).dlq") }
                return Response(status: .noContent)
            },
            Operation(method: .post, path: "/api/dead-letters/{stream}/{id}/replay") { _, context in
                let (stream, id) = try Self.letterPath(context)
                guard let entry = try await deadLetters.replay(stream: stream, id: id) else { throw Problem.notFound("no dead letter \(id) in \(stream).dlq") }
                return try ServiceRuntime.json(["stream": stream, "entry_id": entry], status: .accepted)
            },
            Operation(method: .post, path: "/api/dead-letters/{stream}/replay") { _, context in
                let stream = try DeadLetterStore.stream(try Self.parameter("stream", context))
                return try ServiceRuntime.json(["stream": stream, "replayed": String(try await deadLetters.replayAll(stream: stream))], status: .accepted)
            },
            Operation(method: .delete, path: "/api/dead-letters/{stream}") { _, context in
                let stream = try DeadLetterStore.stream(try Self.parameter("stream", context))
                return try ServiceRuntime.json(["stream": stream, "purged": String(try await deadLetters.purge(stream: stream))])
            },
            Operation(method: .post, path: "/api/actions/train") { request, _ in
                try ServiceRuntime.json(try await actions.train(request, trace: Self.newTrace()), status: .accepted)
            },
            Operation(method: .post, path: "/api/actions/fetch") { request, _ in
                try ServiceRuntime.json(try await actions.fetch(request, trace: Self.newTrace()), status: .accepted)
            },
            Operation(method: .post, path: "/api/actions/arxiv-backfill") { request, _ in
                try ServiceRuntime.json(try await actions.backfill(request, trace: Self.newTrace()), status: .accepted)
            },
            Operation(method: .get, path: "/openapi.json") { _, _ in
                Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
            },
        ]
    }

    /// The board's encoded snapshot; before the first background refresh, one made now.
    func encodedStatus() async -> StatusBoard.Encoded {
        if let encoded = board.encoded() { return encoded }
        board.update(await aggregator.snapshot())
        return board.encoded()!
    }

    static func json(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    static func parameter(_ name: String, _ context: BasicRequestContext) throws -> String {
        guard let value = context.parameters.get(name) else { throw Problem.badParameter(name, "missing path parameter \(name)") }
        return value
    }

    static func letterPath(_ context: BasicRequestContext) throws -> (String, String) {
        let stream = try DeadLetterStore.stream(try parameter("stream", context))
        let id = try parameter("id", context)
        guard isEntryId(id) else { throw Problem.badParameter("id", "'\(id)' is not a stream entry id (like 1700000000000-0)") }
        // Shaped like an id but past Redis' 64-bit halves: no entry can have it.
        guard id.split(separator: "-").allSatisfy({ UInt64($0) != nil }) else { throw Problem.notFound("no dead letter \(id) on \(stream).dlq") }
        return (stream, id)
    }

    static func isEntryId(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.count <= 20 && $0.allSatisfy { ("0"..."9").contains($0) } }
    }

    /// `limit`: 1…500, 50 when absent.
    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 50 }
        guard let limit = Int(text), (1...500).contains(limit) else { throw Problem.badParameter("limit", "limit must be an integer from 1 to 500, not '\(text)'") }
        return limit
    }

    /// A trace id for the messages an action publishes; the services' logs carry it onwards.
    static func newTrace() -> String {
        UUID().uuidString.lowercased()
    }
}
