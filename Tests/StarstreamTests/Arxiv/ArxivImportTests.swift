import Arxiv
import Contracts
import Foundation
import HTTPClient
import Redis
import Streams
import Testing

@Suite("arxiv-poller import: the shared corpus and the arXiv metadata snapshot's layout, with rejected lines named")
struct ArxivImportTests {
    static let snapshotLine = """
        {"id":"0704.0001","submitter":"Pavel Nadolsky","authors":"C. Bal\\u00e1zs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan",\
        "title":"Calculation of prompt diphoton production cross sections at Tevatron and\\n  LHC energies",\
        "comments":"37 pages, 15 figures; published version","journal-ref":"Phys.Rev.D76:013009,2007",\
        "doi":"10.1103/PhysRevD.76.013009","report-no":"ANL-HEP-PR-07-12","categories":"hep-ph","license":null,\
        "abstract":"  A fully differential calculation in perturbative quantum chromodynamics is\\npresented.\\n",\
        "versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"},{"version":"v2","created":"Tue, 24 Jul 2007 20:10:27 GMT"}],\
        "update_date":"2008-11-13","authors_parsed":[["Bal\\u00e1zs","C.",""],["Berger","E. L.",""],["Nadolsky","P. M.",""],["Yuan","C. -P.",""]]}
        """

    @Test("a snapshot line: categories from one string, the newest version and its date, authors as 'Forenames Keyname'")
    func snapshotLayout() throws {
        let entry = try ArxivMetadataReader().entry(Array(Self.snapshotLine.utf8))
        #expect(entry.id == "0704.0001" && entry.version == 2 && entry.primaryCategory == "hep-ph" && entry.categories == ["hep-ph"])
        #expect(entry.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies")
        #expect(entry.summary == "A fully differential calculation in perturbative quantum chromodynamics is presented.")
        #expect(entry.authors.map(\.name) == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan"])
        #expect(entry.published == (try Date("2007-04-02T19:18:42Z", strategy: .iso8601)))
        #expect(entry.updated == (try Date("2007-07-24T20:10:27Z", strategy: .iso8601)))
        #expect(entry.doi == "10.1103/PhysRevD.76.013009" && entry.journalRef == "Phys.Rev.D76:013009,2007")
        // A date with a combining mark after a digit is a rejected line, not a stopped process (found by fuzzing).
        let marked = Self.snapshotLine.replacingOccurrences(of: "Mon, 2 Apr 2007", with: "Mon, 2\u{73E}pr 2007")
        let rejection = #expect(throws: ArxivMetadataReader.Rejection.self) { try ArxivMetadataReader().entry(Array(marked.utf8)) }
        #expect(rejection?.reason == "unreadable date in versions")
        let crossListed = try ArxivMetadataReader().entry(Array(#"{"id":"1","title":"T","abstract":"A","categories":"math.CO cs.CG","update_date":"2008-12-13"}"#.utf8))
        #expect(crossListed.primaryCategory == "math.CO" && crossListed.categories == ["math.CO", "cs.CG"] && crossListed.version == 1)
    }

    @Test("a corpus line: the primary category as given, listed first, dated its first submission")
    func corpusLayout() throws {
        let line = #"{"id": "1912.11327", "title": "T", "abstract": "A.", "primary_category": "cond-mat.other", "categories": ["physics.app-ph", "cond-mat.other"], "date": "2019-12-24", "source": "s", "complete_category": true}"#
        let entry = try ArxivMetadataReader().entry(Array(line.utf8))
        #expect(entry.primaryCategory == "cond-mat.other" && entry.categories == ["cond-mat.other", "physics.app-ph"])
        #expect(entry.published == (try Date("2019-12-24T00:00:00Z", strategy: .iso8601)) && entry.version == 1)
    }

    @Test("importing 500 papers of the gzip-compressed corpus stores and announces each once; importing again stores nothing")
    func corpusImport() async throws {
        let redisServer = try PrivateRedis()
        let environment = ["REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create()]
        let first = try ServiceProcess("arxiv-poller", arguments: ["import", Fixtures.arxivCorpus.path, "--limit", "500"], environment: environment)
        #expect(await first.waitForExit(timeout: .seconds(300)) == 0, "\(first.errorText)")
        #expect(first.lines.contains { $0.contains("500 papers, 500 new, 0 already stored") }, "\(first.lines)")
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        let announced = try await redis.xrange(StreamName.arxivArticles, count: 1000).map {
            try ArxivArticle(envelope: Envelope(entry: $0), stream: StreamName.arxivArticles)
        }
        #expect(announced.count == 500 && Set(announced.map(\.entry.id)).count == 500)
        #expect(announced.allSatisfy { $0.source == "import:train.jsonl.gz" && !$0.entry.summary.isEmpty })

        let again = try ServiceProcess("arxiv-poller", arguments: ["import", Fixtures.arxivCorpus.path, "--limit", "500"], environment: environment)
        #expect(await again.waitForExit(timeout: .seconds(300)) == 0)
        #expect(again.lines.contains { $0.contains("500 papers, 0 new, 500 already stored") }, "\(again.lines)")
        #expect(try await redis.xlen(StreamName.arxivArticles) == 500)
    }

    @Test("bad lines are counted by reason with their line numbers, and the good ones around them imported")
    func rejectedLines() async throws {
        let directory = try makeTemporaryDirectory("import")
        let path = directory + "/mixed.jsonl"
        let lines = [
            Self.snapshotLine,
            "this is not JSON",
            #"{"id": "x1", "abstract": "no title here", "categories": "cs.LG", "update_date": "2020-01-01"}"#,
            "",
            #"{"id": "x2", "title": "T", "categories": 42, "update_date": "2020-01-01"}"#,
            #"{"id": "x3", "title": "T", "categories": "cs.LG"}"#,
            #"{"id": "2001.00001", "title": "Good", "abstract": "A.", "primary_category": "cs.LG", "categories": ["cs.LG"], "date": "2020-01-01"}"#,
            #"{"id": "x4", "title": "T", "categories": "cs.LG", "update_date": "20-1-1"}"#,
        ]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let redisServer = try PrivateRedis()
        let environment = ["REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create()]
        let run = try ServiceProcess("arxiv-poller", arguments: ["import", path], environment: environment)
        #expect(await run.waitForExit(timeout: .seconds(60)) == 0, "\(run.errorText)")
        let output = run.lines.joined(separator: "\n")
        #expect(output.contains("7 lines, 2 papers, 2 new, 0 already stored, 0 outside --categories or the dates, 5 rejected"), "\(output)")
        #expect(output.contains("rejected 1 line (not a JSON object): line 2"), "\(output)")
        #expect(output.contains("rejected 1 line (no title): line 3"), "\(output)")
        #expect(output.contains("rejected 1 line (field categories has the wrong type): line 5"), "\(output)")
        #expect(output.contains("rejected 1 line (no date (date, versions or update_date)): line 6"), "\(output)")
        #expect(output.contains("rejected 1 line (unreadable date): line 8"), "\(output)")

        let missing = try ServiceProcess("arxiv-poller", arguments: ["import", directory + "/absent.jsonl"], environment: environment)
        #expect(await missing.waitForExit(timeout: .seconds(60)) != 0)
        #expect(missing.errorText.contains("absent.jsonl: cannot read the file"), "\(missing.errorText)")

        // Dates: the two papers lie on either side of 2010; a day that is not one is refused by name.
        let older = try ServiceProcess("arxiv-poller", arguments: ["import", path, "--published-before", "2010-01-01"], environment: environment)
        #expect(await older.waitForExit(timeout: .seconds(60)) == 0, "\(older.errorText)")
        #expect(older.lines.contains { $0.contains("7 lines, 1 papers, 0 new, 1 already stored, 1 outside --categories or the dates") }, "\(older.lines)")
        let badDay = try ServiceProcess("arxiv-poller", arguments: ["import", path, "--published-from", "2025-13-01"], environment: environment)
        #expect(await badDay.waitForExit(timeout: .seconds(60)) != 0)
        #expect(badDay.errorText.contains("--published-from 2025-13-01: not a day (YYYY-MM-DD)"), "\(badDay.errorText)")
    }
}
