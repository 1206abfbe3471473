import ArgumentParser
import Arxiv
import AtomFeed
import Foundation

/// `arxiv-poller parse FILE...`: one JSON object per entry of recorded API responses, through
/// the parser the service uses; a bad file is named on stderr and makes the exit status 1.
struct Parse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the entries of recorded arXiv API responses as JSON lines.")

    @Argument(help: "Atom responses of the arXiv API.") var files: [String]

    func run() async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var failures = 0
        for path in files {
            do {
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                    throw ArxivFeedError(source: path, kind: .malformed, reason: "cannot read the file (\(error.localizedDescription))")
                }
                for entry in try AtomParser.parse(data, source: path).entries {
                    print(String(decoding: try encoder.encode(entry), as: UTF8.self))
                }
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("arxiv-poller: \(error)\n".utf8))
            }
        }
        if failures > 0 {
            FileHandle.standardError.write(Data("arxiv-poller: \(failures) of \(files.count) files rejected\n".utf8))
            throw ExitCode(1)
        }
    }
}
