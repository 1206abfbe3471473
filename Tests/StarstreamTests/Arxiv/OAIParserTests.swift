import Arxiv
import Foundation
import OAIPMH
import Testing

@Suite("OAI-PMH parser on real arXiv ListRecords pages, and on the protocol's errors")
struct OAIParserTests {
    static func page(_ index: Int) throws -> (Data, String) {
        let path = Fixtures.arxivOAI.appendingPathComponent("listrecords-\(index).xml").path
        return (try Data(contentsOf: URL(fileURLWithPath: path)), path)
    }

    static func day(_ text: String) -> Date { try! Date(text + "T00:00:00Z", strategy: .iso8601) }

    static func response(_ body: String) -> Data {
        Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-12-02T00:00:00Z</responseDate>\(body)</OAI-PMH>
            """.utf8)
    }

    static func failure(_ data: Data, source: String = "test.xml") -> OAIError? {
        do {
            _ = try OAIParser.parse(data, source: source)
            return nil
        } catch {
            return error
        }
    }

    @Test("each shared page holds 1,000 records, 3,000 distinct papers in all, and the token and list size of the next page")
    func sharedPages() throws {
        var ids = Set<String>()
        for index in 0..<3 {
            let (data, path) = try Self.page(index)
            let page = try OAIParser.parse(data, source: path)
            #expect(page.entries.count == 1000 && page.deleted == 0)
            #expect(page.resumptionToken == "2752941|\(index + 1)001" && page.hasMore)
            #expect(page.completeListSize == 1_405_437 && page.cursor == index * 1000)
            #expect(page.entries.allSatisfy { !$0.title.isEmpty && !$0.summary.isEmpty && $0.categories.first == $0.primaryCategory })
            ids.formUnion(page.entries.map(\.id))
        }
        #expect(ids.count == 3000)
    }

    @Test("a record becomes the newest version: authors as 'Forenames Keyname', the first category primary, v2 when revised")
    func firstRecord() throws {
        let (data, path) = try Self.page(0)
        let entries = try OAIParser.parse(data, source: path).entries
        let first = entries[0]
        #expect(first.id == "0704.0001" && first.version == 2 && first.versionedId == "0704.0001v2")
        #expect(first.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
        #expect(first.authors.map(\.name) == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"])
        #expect(first.primaryCategory == "hep-ph" && first.categories == ["hep-ph"])
        #expect(first.published == Self.day("2007-04-02") && first.updated == Self.day("2007-07-24"))
        #expect(first.doi == "10.1103/PhysRevD.76.013009" && first.journalRef == "Phys.Rev.D76:013009,2007")
        #expect(first.comment == "37 pages, 15 figures; published version")
        #expect(first.summary.hasPrefix("A fully differential calculation in perturbative quantum chromodynamics is presented"))
        #expect(!first.summary.contains("\n") && !first.summary.contains("  "))
        #expect(first.abstractURL == "https://arxiv.org/abs/0704.0001" && first.pdfURL == "https://arxiv.org/pdf/0704.0001")
        let second = entries[1]
        #expect(second.primaryCategory == "math.CO" && second.categories == ["math.CO", "cs.CG"])
        // Never revised: v1, dated its creation.
        let unrevised = try #require(entries.first { $0.published == $0.updated })
        #expect(unrevised.version == 1)
    }

    @Test("the last page's empty token ends the list; deleted records are counted and skipped")
    func lastPage() throws {
        let page = try OAIParser.parse(Self.response("""
            <ListRecords><record><header status="deleted"><identifier>oai:arXiv.org:0704.0009</identifier>\
            <datestamp>2010-01-01</datestamp></header></record>\
            <resumptionToken completeListSize="3001" cursor="3000"/></ListRecords>
            """), source: "last.xml")
        #expect(page.entries.isEmpty && page.deleted == 1 && !page.hasMore && page.completeListSize == 3001)
    }

    @Test("OAI errors, HTML and truncated XML are clear errors naming the input; a record without an id is skipped with the reason")
    func errors() throws {
        let bad = Self.failure(Self.response("<request verb=\"ListRecords\">x</request><error code=\"badResumptionToken\">The value of the resumptionToken argument is invalid or expired.</error>"), source: "http://oai/oai2?resumptionToken=x")
        #expect(bad?.kind == .protocolError(code: "badResumptionToken"))
        #expect(bad?.description == "http://oai/oai2?resumptionToken=x: OAI-PMH error badResumptionToken: The value of the resumptionToken argument is invalid or expired.")
        let none = Self.failure(Self.response("<error code=\"noRecordsMatch\">No records</error>"))
        #expect(none?.isEmptyList == true)
        #expect(Self.failure(Self.response("<error code=\"badArgument\">Illegal set</error>"))?.kind == .protocolError(code: "badArgument"))

        let html = Self.failure(Data("<html><body>503 Service Unavailable</body></html>".utf8), source: "http://oai/oai2")
        #expect(html?.kind == .notOAI && html?.description == "http://oai/oai2: not an OAI-PMH response (root element <html>)")

        let (data, _) = try Self.page(1)
        let truncated = Self.failure(data.prefix(data.count / 3), source: "part.xml")
        #expect(truncated?.kind == .malformed && truncated?.description.hasPrefix("part.xml: not well-formed XML at line ") == true, "\(String(describing: truncated))")

        // A record without an id is skipped with the reason; the page's other records stand.
        let page = try OAIParser.parse(Self.response("""
            <ListRecords><record><header><identifier>oai:arXiv.org:x</identifier></header><metadata><arXiv>\
            <created>2007-04-02</created><title>T</title><categories>hep-ph</categories></arXiv></metadata></record>\
            <record><header><identifier>oai:arXiv.org:0704.0002</identifier></header><metadata><arXiv><id>0704.0002</id>\
            <created>2007-03-30</created><title>Sparsity</title><categories>math.CO</categories></arXiv></metadata></record></ListRecords>
            """), source: "no-id.xml")
        #expect(page.rejected == ["record 1 (no id): missing <id>"] && page.entries.map(\.id) == ["0704.0002"])
        // An expired token is cured by starting the list again; a bad argument is final.
        #expect(bad?.isRetryable == true && OAIError(source: "x", kind: .protocolError(code: "badArgument"), reason: "").isRetryable == false)
    }
}
