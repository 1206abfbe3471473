import Foundation
import Spectra
import Streams

// The versions these contracts had when consumers read files from a shared disk. Nothing
// publishes them any more; consumers still read them, so that entries written before an
// upgrade are processed after it (docs/STREAMS.md documents both while they coexist).

/// `spectra.downloaded` v1: like v2, with a `path` on a disk the consumers share instead of a URL.
public struct SpectrumDownloadedV1: StreamMessage, Equatable {
    public static let stream = StreamName.spectraDownloaded
    public static let type = "spectra.downloaded"
    public static let version = 1

    public var file: String
    public var path: String
    public var plan: String
    public var sha256: String
    public var bytes: Int
    public var sourceURL: String

    enum CodingKeys: String, CodingKey {
        case file, path, plan, sha256, bytes, sourceURL = "source_url"
    }

    public init(file: String, path: String, plan: String, sha256: String, bytes: Int, sourceURL: String) {
        (self.file, self.path, self.plan, self.sha256, self.bytes, self.sourceURL) = (file, path, plan, sha256, bytes, sourceURL)
    }

    public var idempotencyKey: String { "downloaded:\(file):\(sha256)" }
}

/// `spectra.cataloged` v1: like v2, with the shared-disk `path` instead of a URL.
public struct SpectrumCatalogedV1: StreamMessage, Equatable {
    public static let stream = StreamName.spectraCataloged
    public static let type = "spectra.cataloged"
    public static let version = 1

    public var entry: CatalogEntry
    public var path: String
    public var sha256: String

    public init(entry: CatalogEntry, path: String, sha256: String) {
        (self.entry, self.path, self.sha256) = (entry, path, sha256)
    }

    public var idempotencyKey: String { "cataloged:\(entry.obsid):\(sha256)" }
}

/// `file://` URLs of local paths, the form a v1 path takes in v2: absolute (v1 paths could be
/// relative to the service's working directory, `.local/data/fetcher/…`) and percent-encoded.
public enum FileURL {
    public static func of(path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.absoluteString }
}
