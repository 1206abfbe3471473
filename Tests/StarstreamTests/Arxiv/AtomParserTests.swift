import Arxiv
import AtomFeed
import Foundation
import Testing

@Suite("Atom parser on real arXiv responses, both layouts, and on broken ones")
struct AtomParserTests {
    static func fixture(_ prefix: String) throws -> (Data, String) {
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: Fixtures.arxiv.path).first { $0.hasPrefix(prefix) })
        let path = Fixtures.arxiv.appendingPathComponent(name).path
        return (try Data(contentsOf: URL(fileURLWithPath: path)), path)
    }

    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test("2026 layout: counts, ids with versions, categories, links, DOI, comment and journal reference")
    func currentLayout() throws {
        let (data, path) = try Self.fixture("q_testing_s0_m10_")
        let feed = try AtomParser.parse(data, source: path)
        #expect(feed.totalResults == 214881 && feed.startIndex == 0 && feed.itemsPerPage == 10)
        #expect(feed.entries.count == 10)
        let first = feed.entries[0]
        #expect(first.id == "2202.12139" && first.version == 1 && first.versionedId == "2202.12139v1")
        #expect(first.title == "Testing Deep Learning Models: A First Comparative Study of Multiple Testing Techniques")
        #expect(first.summary.hasPrefix("Deep Learning (DL) has revolutionized"))
        #expect(first.primaryCategory == "cs.SE" && first.categories == ["cs.SE", "cs.LG"] && first.archive == "cs")
        #expect(first.authors.map(\.name) == ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"])
        #expect(first.doi == "10.1109/ICSTW55395.2022.00035")
        #expect(first.comment == "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022")
        #expect(first.journalRef?.hasPrefix("Artificial Intelligence in Software Testing @ 2022 IEEE") == true)
        #expect(first.abstractURL == "https://arxiv.org/abs/2202.12139v1" && first.pdfURL == "https://arxiv.org/pdf/2202.12139v1")
        #expect(first.published == Self.date("2022-02-24T15:05:19Z") && first.updated == Self.date("2022-02-24T15:05:19Z"))
    }

    @Test("2016 layout: per-element namespaces, offsets in dates, abstracts wrapped at 80 columns become one line")
    func legacyLayout() throws {
        let (data, path) = try Self.fixture("legacy_search_query_au_del_maestro.xml")
        let feed = try AtomParser.parse(data, source: path)
        #expect(feed.totalResults == 31 && feed.itemsPerPage == 10 && feed.entries.count == 10)
        let first = feed.entries[0]
        #expect(first.id == "1201.4869" && first.version == 1)
        #expect(first.title == "A Luttinger Liquid Core Inside Helium-4 Filled Nanopores")
        #expect(first.summary.hasPrefix("As helium-4 is cooled below 2.17 K it undergoes a phase transition to a fundamentally new state"))
        #expect(!first.summary.contains("\n") && !first.summary.contains("  "))
        #expect(feed.entries.allSatisfy { !$0.primaryCategory.isEmpty && $0.categories.contains($0.primaryCategory) })
    }

    @Test("old-style and versioned ids; a missing id is an empty feed, not an error")
    func identifiers() throws {
        let (old, oldPath) = try Self.fixture("id_quant-ph_0201082v1")
        let entry = try #require(try AtomParser.parse(old, source: oldPath).entries.first)
        #expect(entry.id == "quant-ph/0201082" && entry.version == 1 && entry.archive == "quant-ph")
        let (versioned, versionedPath) = try Self.fixture("id_2104.12255v1")
        #expect(try AtomParser.parse(versioned, source: versionedPath).entries.map(\.versionedId) == ["2104.12255v1"])
        let (empty, emptyPath) = try Self.fixture("id_0000.0000")
        let feed = try AtomParser.parse(empty, source: emptyPath)
        #expect(feed.entries.isEmpty && feed.totalResults == 0)
    }

    @Test("arXiv's error feed becomes an API error carrying its message and the source")
    func errorFeed() throws {
        let (data, path) = try Self.fixture("id_abc_")
        let error = try #require(Self.failure { try AtomParser.parse(data, source: path) })
        #expect(error.kind == .apiError)
        #expect(error.description == "\(path): arXiv API error: incorrect id format for abc")
    }

    @Test("truncated XML, HTML instead of Atom, and an entry without an id are clear errors naming the input")
    func brokenInputs() throws {
        let (data, _) = try Self.fixture("q_testing_s0_m10_")
        let truncated = try #require(Self.failure { try AtomParser.parse(data.prefix(data.count / 2), source: "half.xml") })
        #expect(truncated.kind == .malformed && truncated.description.hasPrefix("half.xml: not well-formed XML"), "\(truncated)")
        let html = try #require(Self.failure {
            try AtomParser.parse(Data("<html><body><h1>503 Service Unavailable</h1></body></html>".utf8), source: "http://x/api")
        })
        #expect(html.kind == .notAtom && html.description == "http://x/api: not an Atom feed (root element <html>)")
        let noId = Self.feed(entry: "<title>T</title><published>2020-01-01T00:00:00Z</published><updated>2020-01-01T00:00:00Z</updated>")
        let missing = try #require(Self.failure { try AtomParser.parse(noId, source: "no-id.xml") })
        #expect(missing.kind == .invalidEntry && missing.description == "no-id.xml: entry 1 (no id): missing or unreadable <id>")
        #expect(Self.failure { try AtomParser.parse(Data(), source: "empty.xml") }?.kind == .malformed)
    }

    @Test("author affiliations are kept")
    func affiliations() throws {
        let data = Self.feed(entry: """
            <id>http://arxiv.org/abs/2401.00001v2</id><title>T</title><summary>S.</summary>
            <published>2024-01-01T00:00:00Z</published><updated>2024-02-01T00:00:00Z</updated>
            <author><name>Ada</name><arxiv:affiliation>Observatoire de Paris</arxiv:affiliation><arxiv:affiliation>CNRS</arxiv:affiliation></author>
            <author><name>Bo</name></author>
            <arxiv:primary_category term="astro-ph.SR"/><category term="astro-ph.SR"/>
            """)
        let entry = try #require(try AtomParser.parse(data, source: "x").entries.first)
        #expect(entry.authors == [.init(name: "Ada", affiliations: ["Observatoire de Paris", "CNRS"]), .init(name: "Bo")])
        #expect(entry.version == 2 && entry.archive == "astro-ph")
    }

    static func feed(entry: String) -> Data {
        Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom"><entry>\(entry)</entry></feed>
            """.utf8)
    }

    static func failure(_ body: () throws -> ArxivFeed) -> ArxivFeedError? {
        do {
            _ = try body()
            return nil
        } catch let error as ArxivFeedError {
            return error
        } catch {
            return nil
        }
    }
}
