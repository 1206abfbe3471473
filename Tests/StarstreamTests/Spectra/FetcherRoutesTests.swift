import Foundation
import HTTPClient
import Hummingbird
import HummingbirdTesting
import Postgres
import ServiceKit
import Testing

@testable import fetcher

@Suite("fetcher's file routes, driven in-process through its build seam")
struct FetcherRoutesTests {
    @Test("""
        a recorded file is served from where it lies with its SHA-256 as ETag; If-None-Match answers 304, a range 206, \
        a range past the end 416 (If-Range of another version or another unit: the whole file), an unknown file 404 and a name with a separator 400
        """)
    func files() async throws {
        let databaseURL = try await TestDatabase.create()
        let dataDirectory = try makeTemporaryDirectory("fetcher")
        let service = try await Serve.buildService(environment: EnvironmentReader([
            "DATABASE_URL": databaseURL, "DATA_DIR": dataDirectory, "HTTP_PORT": "0", "LOG_LEVEL": "critical",
        ]))
        // The ledger as the service's start-up would create it, and one file fetched in place.
        let pool = PostgresPool(url: databaseURL, size: 1)
        _ = try await DownloadLedger.migrator.migrate(pool)
        let path = try Fixtures.lamostFiles()[0]
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let digest = SHA256.hash(bytes)
        try await DownloadLedger(pool: pool).record([
            DownloadLedger.File(plan: "P1", file: "spec-1.fits.gz", sourceURL: "file://" + path, path: path, bytes: bytes.count, sha256: digest),
        ])
        try await service.application.test(.router) { client in
            let whole = try await client.execute(uri: "/files/P1/spec-1.fits.gz", method: .get)
            #expect(whole.status == .ok && Array(buffer: whole.body) == bytes)
            #expect(whole.headers[.eTag] == "\"\(digest)\"" && whole.headers[.acceptRanges] == "bytes")
            let cached = try await client.execute(uri: "/files/P1/spec-1.fits.gz", method: .get, headers: [.ifNoneMatch: "\"\(digest)\""])
            #expect(cached.status == .notModified && cached.body.readableBytes == 0)
            let tail = try await client.execute(uri: "/files/P1/spec-1.fits.gz", method: .get, headers: [.range: "bytes=-16"])
            #expect(tail.status == .partialContent && Array(buffer: tail.body) == Array(bytes.suffix(16)))
            #expect(tail.headers[.contentRange] == "bytes \(bytes.count - 16)-\(bytes.count - 1)/\(bytes.count)")
            let beyond = try await client.execute(uri: "/files/P1/spec-1.fits.gz", method: .get, headers: [.range: "bytes=\(bytes.count)-"])
            #expect(beyond.status == .rangeNotSatisfiable && beyond.headers[.contentRange] == "bytes */\(bytes.count)")
            let weak = try await client.execute(uri: "/files/P1/spec-1.fits.gz", method: .get, headers: [.ifNoneMatch: "\"other\", W/\"\(digest)\""])
            #expect(weak.status == .notModified)
            // A part of another version is refused for the whole file; another unit is ignored.
            let stale = try await client.execute(uri: "/files/P1/spec-1.fits.gz", method: .get, headers: [.range: "bytes=0-9", .ifRange: "\"other\""])
            #expect(stale.status == .ok && Array(buffer: stale.body) == bytes)
            let same = try await client.execute(uri: "/files/P1/spec-1.fits.gz", method: .get, headers: [.range: "bytes=0-9", .ifRange: "\"\(digest)\""])
            #expect(same.status == .partialContent && Array(buffer: same.body) == Array(bytes.prefix(10)))
            let items = try await client.execute(uri: "/files/P1/spec-1.fits.gz", method: .get, headers: [.range: "items=0-9"])
            #expect(items.status == .ok && items.body.readableBytes == bytes.count)
            let unknown = try await client.execute(uri: "/files/P1/spec-2.fits.gz", method: .get)
            #expect(unknown.status == .notFound)
            let sneaky = try await client.execute(uri: "/files/P1/..%2Fsecret", method: .get)
            #expect(sneaky.status == .badRequest)
        }
    }
}
