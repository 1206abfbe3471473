import Contracts
import Foundation
import Streams
import Testing

/// docs/STREAMS.md is the contract operators read; it must say what the code does.
@Suite("docs/STREAMS.md matches the code")
struct StreamDocumentationTests {
    static func document() throws -> String {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        return try String(contentsOf: root.appendingPathComponent("docs/STREAMS.md"), encoding: .utf8)
    }

    /// Rows of the "The streams" table: stream name → consumer groups.
    static func documentedStreams() throws -> [String: Set<String>] {
        let text = try document()
        guard let after = text.components(separatedBy: "## The streams").last,
            let section = after.components(separatedBy: "\n## ").first
        else { return [:] }
        var rows: [String: Set<String>] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let stream = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            // A reader's note in parentheses ("classifier (every replica; no group)") is not part of its name.
            let groups = cells[2].split(separator: ",")
                .map { String($0.trimmingCharacters(in: .whitespaces).split(separator: " (").first ?? "") }.filter { $0 != "—" }
            rows[stream] = Set(groups)
        }
        return rows
    }

    @Test("every stream is documented, with exactly the consumer groups the services create")
    func streamsAndGroups() throws {
        let documented = try Self.documentedStreams()
        #expect(Set(documented.keys) == Set(StreamName.all))
        for stream in StreamName.all {
            let readers = Set(ServiceDirectory.services.filter { $0.consumes.contains(stream) || $0.subscribes.contains(stream) }.map(\.name))
            #expect(documented[stream] == readers, "\(stream): documented \(documented[stream] ?? []) but the services read it as \(readers)")
        }
    }

    @Test("every stream a service produces is one of the documented streams")
    func producedStreamsExist() {
        for entry in ServiceDirectory.services {
            for stream in entry.produces { #expect(StreamName.all.contains(stream), "\(entry.name) produces unknown \(stream)") }
        }
    }

    @Test("every contract's current version has its section, and a previous version still read is described beside it")
    func versionsAreDocumented() throws {
        let text = try Self.document()
        let current: [any StreamMessage.Type] = [
            SpectraFetchRequest.self, SpectrumDownloaded.self, SpectrumCataloged.self, SpectrumPreprocessed.self, SpectrumFeatures.self,
            SpectrumClassified.self, TrainRequest.self, ModelTrained.self, ArxivPollRequest.self, ArxivArticle.self,
            ArxivSummarized.self, ArxivClassified.self, DriftReportMessage.self, DriftAlert.self,
        ]
        for message in current {
            #expect(text.contains("### `\(message.stream)` v\(message.version)\n"), "\(message.stream) v\(message.version) has no section")
        }
        for previous in [SpectrumDownloadedV1.self, SpectrumCatalogedV1.self] as [any StreamMessage.Type] {
            #expect(text.contains("**v\(previous.version)**"), "\(previous.stream) v\(previous.version) is read but not described")
        }
    }
}
