import Contracts
import Foundation
import HTTPClient
import Hummingbird
import Redis
import Streams
import Testing

@Suite("arXiv pipeline end to end: recorded pages in, summaries, versioned text models and live accuracy out")
struct ArxivEndToEndTests {
    struct Used: Decodable { var id: String; var role: String }
    struct Evaluation: Decodable {
        var chosen: String
        var train_count: Int
        var validation_count: Int
        var trained_until: String
        var validated_from: String
    }
    struct Summary: Decodable {
        var classified: Int
        var waiting: Int
        var archive_predicted: Int
        var category_predicted: Int
        var live_archive_accuracy: Double?
        var live_category_accuracy: Double?
        var live_category_top3: Double?
    }

    @Test("""
        arxiv-poller pages through a local server speaking the arXiv API → summarizer (with a local OpenAI-compatible LLM), trainer (automatic after N papers, \
        held out by time), classifier and drift-monitor; every paper is summarised and classified with top-3 categories, \
        live accuracy against arXiv's own categories is served, and drift is reported, with an alert when the papers change
        """)
    func fullPipeline() async throws {
        let pages = try makeTemporaryDirectory("arxiv-pages")
        let sim = try ServiceProcess("arxiv-sim", arguments: ["--count", "800", "--seed", "3", "--page-size", "100", "--out", pages])
        #expect(await sim.waitForExit(timeout: .seconds(60)) == 0, "\(sim.errorText)")
        // One local server plays arXiv (pages by `start`, an empty feed past the end) and an
        // OpenAI-compatible LLM (which first answers 429 with Retry-After).
        let files = try FileManager.default.contentsOfDirectory(atPath: pages).filter { $0.hasSuffix(".xml") }.sorted()
        let recorded = try files.map { try Data(contentsOf: URL(fileURLWithPath: pages + "/" + $0)) }
        let empty = try ArxivPollerTests.fixture("id_0000.0000")
        let llm = SummarizerTests.FakeLLM()
        let router = llm.router()
        router.get("api/query") { request, _ -> Response in
            let page = (request.uri.queryParameters.get("start", as: Int.self) ?? 0) / 100
            return Response(
                status: .ok, headers: [.contentType: "application/atom+xml"],
                body: .init(byteBuffer: ByteBuffer(bytes: page < recorded.count ? recorded[page] : empty)))
        }
        try await withLocalHTTPServer(router) { base in try await Self.run(base: base, llm: llm) }
    }

    static func run(base: String, llm: SummarizerTests.FakeLLM) async throws {
        let redisServer = try PrivateRedis()
        let environment = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(), "MONGO_URI": uniqueMongoURI(),
        ]
        func start(_ name: String, _ extra: [String: String] = [:], arguments: [String] = []) throws -> ServiceProcess {
            try ServiceProcess(name, arguments: arguments, environment: environment.merging(extra) { $1 })
        }
        let trainer = try start("trainer", ["DATA_DIR": try makeTemporaryDirectory("trainer"), "TEXT_TRAIN_AFTER_NEW": "500"])
        let trainerURL = "http://127.0.0.1:\(try await trainer.httpPort())"
        let classifier = try start("classifier", ["TRAINER_URL": trainerURL])
        let classifierURL = "http://127.0.0.1:\(try await classifier.httpPort())"
        let summarizer = try start("summarizer", ["LLM_BASE_URL": base + "/v1", "LLM_API_KEY": "key", "LLM_MODEL": "tiny", "LLM_LANGUAGES": "fr"])
        let monitor = try start("drift-monitor", ["TRAINER_URL": trainerURL, "DRIFT_EVERY": "200", "DRIFT_WINDOW": "200"])
        let monitorURL = "http://127.0.0.1:\(try await monitor.httpPort())"
        let poller = try start("arxiv-poller", [
            "ARXIV_BASE_URL": base + "/api/query", "ARXIV_PAGE_SIZE": "100", "ARXIV_MIN_INTERVAL_MS": "50", "POLL_INTERVAL_S": "0",
        ])
        _ = try await summarizer.httpPort()
        _ = try await poller.httpPort()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))

        let poll = try start("arxiv-poller", arguments: ["poll"])
        #expect(await poll.waitForExit() == 0)
        // 800 papers, some in two versions.
        try await eventually(timeout: .seconds(120), "the poll finished") { poller.lines.contains { $0.contains("\"arxiv poll finished\"") } }
        let versions = try await redis.xlen(StreamName.arxivArticles)
        #expect(versions > 800)
        try await eventually(timeout: .seconds(120), "every version summarised") { try await redis.xlen(StreamName.arxivSummarized) == versions }
        let summaries = try await redis.xrange(StreamName.arxivSummarized).map {
            try ArxivSummarized(envelope: Envelope(entry: $0), stream: StreamName.arxivSummarized)
        }
        #expect(summaries.allSatisfy { $0.method == "llm" && $0.languages == ["fr"] } && llm.tooMany == 1)
        try await eventually(timeout: .seconds(120), "both text models announced") {
            Set(try await redis.xrange(StreamName.modelsTrained).map {
                try ModelTrained(envelope: Envelope(entry: $0), stream: StreamName.modelsTrained).kind
            }).isSuperset(of: ModelKind.arxiv)
        }
        let http = HTTPClient()
        func get<T: Decodable>(_ url: String, as type: T.Type) async throws -> T {
            let response = try await http.get(url)
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        }
        try await eventually(timeout: .seconds(120), "every version classified by both models") {
            let summary = try await get("\(classifierURL)/api/arxiv/summary", as: Summary.self)
            return summary.archive_predicted == versions && summary.category_predicted == versions && summary.waiting == 0
        }
        let summary = try await get("\(classifierURL)/api/arxiv/summary", as: Summary.self)
        #expect((summary.live_archive_accuracy ?? 0) > 0.8, "\(summary)")
        #expect((summary.live_category_accuracy ?? 0) > 0.5, "\(summary)")
        #expect((summary.live_category_top3 ?? 0) >= (summary.live_category_accuracy ?? 1), "\(summary)")

        // The model was measured on papers newer than those it learnt from, and the registry says which.
        let evaluation = try await get("\(trainerURL)/api/models/arxiv-category/1", as: Evaluation.self)
        #expect(evaluation.trained_until <= evaluation.validated_from)
        let used = try await get("\(trainerURL)/api/models/arxiv-category/1/articles", as: [Used].self)
        #expect(used.count == evaluation.train_count + evaluation.validation_count && used.count >= 500)
        #expect(Set(used.map(\.role)) == ["train", "validation"])

        let classified = try await redis.xrange(StreamName.arxivClassified).map {
            try ArxivClassified(envelope: Envelope(entry: $0), stream: StreamName.arxivClassified)
        }
        #expect(classified.allSatisfy { $0.category == nil || $0.category!.top.count == 3 })
        #expect(classified.allSatisfy { $0.words > 10 })

        // Drift: reports on the live window against the category model's reference…
        try await eventually("a drift report on the arXiv pipeline") { try await redis.xlen(StreamName.driftReports) >= 1 }
        let first = try #require(try await redis.xrange(StreamName.driftReports).first.map {
            try DriftReportMessage(envelope: Envelope(entry: $0), stream: StreamName.driftReports)
        })
        #expect(first.pipeline == "arxiv" && first.model.hasPrefix("arxiv-category@") && first.columnsTested == 4, "\(first)")
        // …and an alert when the papers change: long abstracts, unknown words, one category.
        let alertsBefore = try await redis.xlen(StreamName.driftAlerts)
        let shifted = (0..<200).map { i in
            ArxivClassified(
                id: "9999.\(10000 + i)", version: 1, archive: nil,
                category: ArxivPrediction(top: [.init(label: "math.PR", probability: 0.9)], model: "arxiv-category@1"),
                trueCategory: i % 2 == 0 ? "math.PR" : "cs.LG", words: 900 + i, outOfVocabulary: 0.8)
        }
        try await StreamProducer(redis: redis, producer: "test").publish(batch: shifted)
        try await eventually("a drift alert") { try await redis.xlen(StreamName.driftAlerts) > alertsBefore }
        let alert = try #require(try await redis.xrange(StreamName.driftAlerts).last.map {
            try DriftAlert(envelope: Envelope(entry: $0), stream: StreamName.driftAlerts)
        })
        #expect(alert.reason.contains("dataset drift") && Set(alert.driftedColumns).isSuperset(of: ["words", "out_of_vocabulary", "predicted"]), "\(alert)")
        let page = try await http.get("\(monitorURL)/api/drift/reports/\(alert.reportId)/html")
        #expect(page.text.contains("Dataset drift") && page.text.contains("<svg") && page.text.contains("K-S"), "\(page.text.prefix(500))")
        // A chart per drifted column, numeric and categorical.
        #expect(page.text.contains("words: reference (grey) and current (red)") && page.text.contains("predicted: reference (grey) and current (red)"))

        // The gateway over the papers: a filtered list paged to its end, one paper from three services, the report page.
        let gateway = try start("gateway", [
            "TRAINER_URL": trainerURL, "CLASSIFIER_URL": classifierURL, "DRIFT_MONITOR_URL": monitorURL,
            "SUMMARIZER_URL": "http://127.0.0.1:\(try await summarizer.httpPort())", "ARXIV_POLLER_URL": "http://127.0.0.1:\(try await poller.httpPort())",
        ])
        let gatewayURL = "http://127.0.0.1:\(try await gateway.httpPort())"
        func object(_ path: String) async throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(try await http.get(gatewayURL + path).body)) as? [String: Any], "\(path)")
        }
        let category = try #require(classified.first?.trueCategory)
        let archive = String(category.prefix { $0 != "." })
        func inArchive(_ category: String) -> Bool { category == archive || category.hasPrefix(archive + ".") }
        var listed: [String] = [], crossListed: Set<String> = []
        var cursor: String?
        repeat {
            let page = try await object("/api/papers?category=\(archive)&limit=200" + (cursor.map { "&cursor=\($0)" } ?? ""))
            let items = try #require(page["items"] as? [[String: Any]])
            for item in items {
                let id = try #require(item["id"] as? String)
                listed.append(id)
                if inArchive(item["primary_category"] as? String ?? "") { continue }
                // Another archive's paper is listed only when it is cross-listed to this one (`astro-ph`, `astro-ph.SR`).
                let categories = (try await object("/api/papers/\(id)")["article"] as? [String: Any])?["categories"] as? [String] ?? []
                #expect(categories.contains(where: inArchive), "\(id) is listed under \(archive) but has \(categories)")
                crossListed.insert(id)
            }
            cursor = page["next_cursor"] as? String
        } while cursor != nil
        // The papers the poller stored (not the shifted ones published straight onto arxiv.classified).
        let latestCategory = Dictionary(classified.filter { !$0.id.hasPrefix("9999.") }.map { ($0.id, ($0.version, $0.trueCategory)) }) { $0.0 >= $1.0 ? $0 : $1 }
        let expected = Set(latestCategory.filter { inArchive($0.value.1) }.keys)
        // Which papers of other archives are cross-listed to this one, asked of each paper's own page at the poller, not of the list.
        var expectedCrossListed: Set<String> = []
        let pollerURL = "http://127.0.0.1:\(try await poller.httpPort())"
        for (id, (_, category)) in latestCategory where !inArchive(category) {
            let entry = try JSONSerialization.jsonObject(with: Data(try await http.get("\(pollerURL)/api/arxiv/articles/\(id)").body)) as? [String: Any]
            if (entry?["categories"] as? [String] ?? []).contains(where: inArchive) { expectedCrossListed.insert(id) }
        }
        #expect(crossListed == expectedCrossListed, "cross-listed to \(archive)")
        #expect(listed == listed.sorted() && Set(listed) == expected.union(expectedCrossListed) && listed.count == Set(listed).count,
                "every paper of \(archive), primary or cross-listed, once, in id order")
        let paperId = try #require(listed.first)
        let paper = try await object("/api/papers/\(paperId)")
        #expect((paper["article"] as? [String: Any])?["id"] as? String == paperId)
        #expect(((paper["summary"] as? [String: Any])?["translations"] as? [String: Any])?["fr"] != nil, "the summary with its translation")
        #expect(paper["predictions"] is [String: Any])
        let title = try #require((paper["article"] as? [String: Any])?["title"] as? String)
        let word = try #require(title.split(separator: " ").max { $0.count < $1.count })
        let found = try await object("/api/papers?q=\(String(word).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        #expect((found["items"] as? [[String: Any]])?.contains { $0["id"] as? String == paperId } == true, "found by a word of its title")
        let reportPage = try await http.get("\(gatewayURL)/api/drift/reports/\(alert.reportId)/html")
        #expect(reportPage.text.contains("Dataset drift"))
        // In a real browser: the paper with its summary, translation and predictions; the drift reports.
        let paperPage = try await renderedDOM("\(gatewayURL)/papers/\(paperId)", screenshot: "paper")
        #expect(paperPage.contains("data-language=\"fr\"") && paperPage.contains("Predicted category"), "\(paperPage.suffix(2000))")
        let driftPage = try await renderedDOM("\(gatewayURL)/drift", screenshot: "drift")
        #expect(driftPage.contains("data-report=\"\(alert.reportId)\"") && driftPage.contains(">drift</td>"))
        #expect(driftPage.contains("<tr data-alert=\"\(alert.reportId)\">") && driftPage.contains("dataset drift:"), "the alert listed with its reason")
        #expect(alert.driftedColumns.allSatisfy { driftPage.contains("data-column=\"\($0)\"") }, "each drifted column's reference and current histograms")
        // Papers whose category was predicted right (or wrong): the two lists split the classified papers.
        var split: [Bool: Set<String>] = [:]
        for flag in [true, false] {
            let page = try await object("/api/papers?correct=\(flag)&limit=500")
            split[flag] = Set((page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String })
        }
        #expect(split[true]!.isDisjoint(with: split[false]!) && split[true]!.count + split[false]!.count > 0)

        // New text models re-classify every stored paper in the background: in the end every
        // stored answer is the new models', the old ones are kept by version, and live accuracy
        // speaks for the new models.
        let retrain = try start("trainer", ["TRAINER_URL": trainerURL], arguments: ["train", "--kinds", "arxiv", "--wait"])
        #expect(await retrain.waitForExit(timeout: .seconds(180)) == 0, "\(retrain.errorText)")
        let newModels = ["arxiv-archive@2", "arxiv-category@2"]
        try await eventually(timeout: .seconds(180), "every stored paper re-classified by \(newModels)") {
            let jobs = try await get("\(classifierURL)/api/reclassification", as: [ReclassificationJob].self)
            return jobs.contains { $0.pipeline == "arxiv" && $0.state == "finished" && $0.models == newModels }
        }
        let job = try #require(try await get("\(classifierURL)/api/reclassification", as: [ReclassificationJob].self).first { $0.pipeline == "arxiv" })
        // Every stored version examined by the last pass (the models arrive one after the other,
        // so it re-classifies only what an earlier pass did with the first alone).
        #expect(job.counts.examined == versions, "\(job)")
        var lookedUp: [String: [String: Any]] = [:]
        let ids = Array(latestCategory.keys)
        for start in stride(from: 0, to: ids.count, by: 500) {  // the lookup takes 500 ids at a time
            let body = Array(try JSONEncoder().encode(["ids": Array(ids[start..<min(start + 500, ids.count)])]))
            let part = try JSONSerialization.jsonObject(with: Data(try await http.post("\(classifierURL)/api/arxiv/lookup", body: body).body)) as? [String: [String: Any]]
            lookedUp.merge(part ?? [:]) { $1 }
        }
        #expect(lookedUp.count == latestCategory.count)
        #expect(lookedUp.values.allSatisfy { ($0["category"] as? [String: Any])?["model"] as? String == "arxiv-category@2" })
        let history = try JSONSerialization.jsonObject(with: Data(try await http.get("\(classifierURL)/api/arxiv/\(paperId)/history?model=arxiv-category@1").body)) as? [[String: Any]]
        #expect(history?.count ?? 0 >= 1 && history?.allSatisfy { $0["model"] as? String == "arxiv-category@1" && $0["replaced_by"] as? String == "arxiv-category@2" } == true,
                "the replaced answer, by version: \(history ?? [])")

        await expectCleanShutdown([trainer, classifier, summarizer, poller, monitor, gateway])
    }
}
