import BlockingIO
import Foundation
import Hummingbird

/// `GET /files/<plan>/<file>`: the fetched files, served to the services that read them, so
/// that no service opens another's directory (see docs/ARCHITECTURE.md, "Storage"). Only
/// whole files are served: downloads land as `.part` and are renamed when verified.
struct FileRoutes: Sendable {
    let directory: String
    let threads: BlockingPool

    /// Where `plan/file` is served, under this replica's base URL.
    static func url(base: String, plan: String, file: String) -> String {
        "\(base)/files/\(encode(plan))/\(encode(file))"
    }

    func register(on router: Router<BasicRequestContext>) {
        let (directory, threads) = (directory, threads)
        router.get("files/:plan/:file") { _, context -> Response in
            let plan = try Self.name(context.parameters.get("plan"), "plan")
            let file = try Self.name(context.parameters.get("file"), "file")
            let path = "\(directory)/\(plan)/\(file)"
            guard let bytes = try await threads.run({ FileManager.default.contents(atPath: path) }) else {
                throw HTTPError(.notFound, message: "this fetcher holds no file \(plan)/\(file)")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: .init(byteBuffer: ByteBuffer(data: bytes)))
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
