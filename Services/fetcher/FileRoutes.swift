import BlockingIO
import Foundation
import Hummingbird

/// `GET /files/<plan>/<file>`: the fetched files, served to the services that read them, so
/// that no service opens another's directory (see docs/ARCHITECTURE.md, "Storage"). Only
/// recorded files are served (downloads land as `.part` and are recorded when verified), from
/// where they lie: this fetcher's directory, or the user's own for a request fetched in place.
/// The `ETag` is the file's SHA-256 (`If-None-Match` answers 304); one `Range: bytes=…` answers
/// 206 (416 past the end; ignored, with the whole file, under an `If-Range` of another version).
struct FileRoutes: Sendable {
    let files: ServedFiles
    let threads: BlockingPool

    /// Where `plan/file` is served, under this replica's base URL.
    static func url(base: String, plan: String, file: String) -> String {
        "\(base)/files/\(encode(plan))/\(encode(file))"
    }

    func register(on router: Router<BasicRequestContext>) {
        let (files, threads) = (files, threads)
        router.get("files/:plan/:file") { request, context -> Response in
            let plan = try Self.name(context.parameters.get("plan"), "plan")
            let name = try Self.name(context.parameters.get("file"), "file")
            guard let file = try await files.file(plan: plan, name: name) else {
                throw HTTPError(.notFound, message: "this fetcher holds no file \(plan)/\(name)")
            }
            var headers: HTTPFields = [.contentType: "application/octet-stream", .acceptRanges: "bytes"]
            let etag = file.sha256.map { "\"\($0)\"" }
            if let etag {
                headers[.eTag] = etag
                // Weak comparison, as If-None-Match asks (RFC 9110 §13.1.2): W/"x" matches "x".
                // Answered before the file is read: a 304 costs no disk.
                if let match = request.headers[.ifNoneMatch],
                    match.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) })
                        .contains(where: { $0 == "*" || ($0.hasPrefix("W/") ? String($0.dropFirst(2)) : $0) == etag })
                {
                    return Response(status: .notModified, headers: headers)
                }
            }
            guard let bytes = try await threads.run({ FileManager.default.contents(atPath: file.path) }) else {
                throw HTTPError(.notFound, message: "this fetcher holds no file \(plan)/\(name)")
            }
            let whole = Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: bytes)))
            // A part of another version is no use to whoever asks with If-Range: they get the whole file.
            let ifRange = request.headers[.ifRange]
            guard let range = request.headers[.range], ifRange == nil || (etag != nil && ifRange == etag) else { return whole }
            let bounds: ClosedRange<Int>
            switch ByteRange.resolve(range, length: bytes.count) {
            case .whole:
                return whole
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(bytes.count)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            case .part(let part):
                bounds = part
            }
            headers[.contentRange] = "bytes \(bounds.lowerBound)-\(bounds.upperBound)/\(bytes.count)"
            return Response(status: .partialContent, headers: headers, body: .init(byteBuffer: ByteBuffer(data: bytes[bounds])))
        }
    }

    /// A plan or file name as the archive lists them: no separators, nothing hidden, nothing partial.
    static func name(_ raw: String?, _ what: String) throws -> String {
        guard let decoded = raw?.removingPercentEncoding, !decoded.isEmpty, !decoded.hasPrefix("."), !decoded.hasSuffix(".part"),
            !decoded.contains("/"), !decoded.contains("\0")
        else { throw HTTPError(.badRequest, message: "\(what) must be a plain file name, not '\(raw ?? "")'") }
        return decoded
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func encode(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? name
    }
}
