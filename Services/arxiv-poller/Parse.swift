import ArgumentParser
import Arxiv
import AtomFeed
import Foundation
import OAIPMH

/// `arxiv-poller parse FILE...`: one JSON object per entry of recorded API responses (Atom)
/// or OAI-PMH `ListRecords` pages, through the parsers the service uses; a bad file is named on
/// stderr and makes the exit status 1. `--seconds S` measures instead: each file parsed again
/// and again for S seconds on this one thread, entries per second printed.
struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the entries of recorded arXiv API or OAI-PMH responses as JSON lines.")

    @Argument(help: "Atom responses of the arXiv API, or OAI-PMH ListRecords pages.") var files: [String]
    @Option(help: "Measure parsing for this many seconds instead of printing.") var seconds: Double?

    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var failures = 0
        var loaded: [(path: String, data: Data)] = []
        for path in files {
            do {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                    throw ArxivFeedError(source: path, kind: .malformed, reason: "cannot read the file (\(error.localizedDescription))")
                }
                let entries = try Self.entries(data, source: path)
                loaded.append((path, data))
                if seconds == nil {
                    for entry in entries { print(String(decoding: try encoder.encode(entry), as: UTF8.self)) }
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("arxiv-poller: \(error)\n".utf8))
            }
        }
        if let seconds, !loaded.isEmpty {
            let clock = ContinuousClock(), start = clock.now
            var entries = 0, bytes = 0
            while clock.now - start < .seconds(seconds) {
                for file in loaded {
                    entries += try Self.entries(file.data, source: file.path).count
                    bytes += file.data.count
                }
            }
            let elapsed = (clock.now - start) / .seconds(1)
            print(String(format: "parse: %d entries (%.1f MB) in %.2f s on one thread: %.0f entries/s, %.1f MB/s",
                         entries, Double(bytes) / 1e6, elapsed, Double(entries) / elapsed, Double(bytes) / 1e6 / elapsed))
        }
        if failures > 0 {
            FileHandle.standardError.write(Data("arxiv-poller: \(failures) of \(files.count) files rejected\n".utf8))
            throw ExitCode(1)
        }
    }

    /// An OAI-PMH response (its root element says so near the start) or an Atom feed.
    static func entries(_ data: Data, source: String) throws -> [ArxivEntry] {
        if String(decoding: data.prefix(1024), as: UTF8.self).contains("<OAI-PMH") {
            return try OAIParser.parse(data, source: source).entries
        }
        return try AtomParser.parse(data, source: source).entries
    }
}
