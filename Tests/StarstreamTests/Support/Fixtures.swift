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

    /// This checkout (the folder holding Package.swift), found from this file's path.
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static var lamost: URL { root.appendingPathComponent("lamost") }
    static var arxiv: URL { root.appendingPathComponent("arxiv") }
    /// Three consecutive real OAI-PMH `ListRecords` pages (`listrecords-0.xml` … `-2.xml`), 1,000 records each.
    static var arxivOAI: URL { root.appendingPathComponent("arxiv-oai") }
    /// 122,693 real papers, one JSON object per line (`train.jsonl.gz`).
    static var arxivCorpus: URL { root.appendingPathComponent("arxiv-corpus/train.jsonl.gz") }

    /// The 1,763 real labelled spectra of DR1, DR2 and DR10 (`labels.csv` beside them).
    static var lamostReal: URL { root.appendingPathComponent("lamost-real") }

    /// Files of one release folder of `lamostReal` (`dr1`, `dr2`, `dr10`), sorted.
    static func lamostRealFiles(_ release: String) throws -> [String] {
        let folder = lamostReal.appendingPathComponent(release)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("spec-") }.sorted().map { folder.appendingPathComponent($0).path }
    }

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
