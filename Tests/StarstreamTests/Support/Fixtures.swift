import Foundation

/// The shared fixtures beside the checkout (`../shared/fixtures`), found from this file's path.
enum Fixtures {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("../shared/fixtures").standardizedFileURL
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        fatalError("../shared/fixtures not found above \(#filePath)")
    }()

    static var lamost: URL { root.appendingPathComponent("lamost") }
    static var arxiv: URL { root.appendingPathComponent("arxiv") }

    static func lamostFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: lamost.path)
            .filter { $0.hasSuffix(".fits.gz") }.sorted().map { lamost.appendingPathComponent($0).path }
    }
}

/// A fresh directory under the system temporary directory.
func makeTemporaryDirectory(_ prefix: String = "starstream") throws -> String {
    let path = NSTemporaryDirectory() + uniqueName(prefix)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
