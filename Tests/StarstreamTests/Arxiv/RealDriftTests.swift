import Contracts
import Foundation
import HTTPClient
import Redis
import Streams
import Testing

@Suite("Real drift: text models trained on papers before 2015 meet the papers of 2025–2026")
struct RealDriftTests {
    struct Report: Decodable {
        struct Column: Decodable { var column: String; var drifted: Bool }
        struct Word: Decodable { var word: String; var count: Int }
        var columns: [Column]
        var live_accuracy: Double?
        var reference_accuracy: Double?
        var new_words: [Word]?
        var window: Int
    }
    struct Listed: Decodable { var id: Int; var report: Report }
    struct Summary: Decodable { var category_predicted: Int; var waiting: Int }

    @Test("""
        one paper in 40 of the shared corpus before 2015 trains the models; then one in 10 of 2025–2026 streams through the \
        classifier: the drift monitor reports the categories and the vocabulary drifted, live accuracy below the held-out one, \
        and its HTML names the categories that moved and the words the model never saw
        """)
    func olderModelsOnNewerPapers() async throws {
        let redisServer = try PrivateRedis()
        let environment = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(), "MONGO_URI": uniqueMongoURI(),
        ]
        func start(_ name: String, _ extra: [String: String] = [:], arguments: [String] = []) throws -> ServiceProcess {
            try ServiceProcess(name, arguments: arguments, environment: environment.merging(extra) { $1 })
        }
        func imported(_ arguments: [String]) async throws -> Int {
            let run = try start("arxiv-poller", arguments: ["import", Fixtures.arxivCorpus.path] + arguments)
            #expect(await run.waitForExit(timeout: .seconds(300)) == 0, "\(run.errorText)")
            let line = try #require(run.lines.first { $0.contains(" papers, ") && $0.contains(" new, ") }, "\(run.lines)")
            // "import: FILE: N lines, P papers, S new, …"
            let papers = line.components(separatedBy: " lines, ")[1].split(separator: " ")[0]
            return try #require(Int(papers), "\(line)")
        }
        let older = try await imported(["--published-before", "2015-01-01", "--every", "40"])
        #expect(older > 1_000)

        // The trainer trains once, on exactly the older papers.
        let trainer = try start("trainer", ["DATA_DIR": try makeTemporaryDirectory("trainer"), "TEXT_TRAIN_AFTER_NEW": "\(older)"])
        let trainerURL = "http://127.0.0.1:\(try await trainer.httpPort())"
        let classifier = try start("classifier", ["TRAINER_URL": trainerURL])
        let classifierURL = "http://127.0.0.1:\(try await classifier.httpPort())"
        let monitor = try start("drift-monitor", ["TRAINER_URL": trainerURL, "DRIFT_EVERY": "100000", "DRIFT_WINDOW": "300"])
        let monitorURL = "http://127.0.0.1:\(try await monitor.httpPort())"
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        try await eventually(timeout: .seconds(300), "both text models announced") {
            Set(try await redis.xrange(StreamName.modelsTrained).map {
                try ModelTrained(envelope: Envelope(entry: $0), stream: StreamName.modelsTrained).kind
            }).isSuperset(of: ModelKind.arxiv)
        }
        let http = HTTPClient()
        func summary() async throws -> Summary {
            try JSONDecoder().decode(Summary.self, from: Data(try await http.get("\(classifierURL)/api/arxiv/summary").body))
        }
        try await eventually(timeout: .seconds(300), "the older papers classified") { try await summary().category_predicted == older }

        let newer = try await imported(["--published-from", "2025-01-01", "--every", "10"])
        #expect(newer >= 300)
        try await eventually(timeout: .seconds(300), "the newer papers classified") {
            let now = try await summary()
            return now.category_predicted == older + newer && now.waiting == 0
        }
        try await eventually(timeout: .seconds(60), "the monitor has observed every paper") {
            let last = try await redis.xinfoStream(StreamName.arxivClassified).lastGeneratedId
            let group = try await redis.xinfoGroups(StreamName.arxivClassified).first { $0.name == "drift-monitor" }
            return group?.lastDeliveredId == last && group?.pending == 0
        }

        // The window is the newest 300 observations: papers of 2025–2026 only.
        _ = try await http.post("\(monitorURL)/api/drift/arxiv/report", body: [])
        let listed = try JSONDecoder().decode([Listed].self, from: Data(try await http.get("\(monitorURL)/api/drift/reports").body))
        let latest = try #require(listed.first)
        let drifted = Set(latest.report.columns.filter(\.drifted).map(\.column))
        #expect(latest.report.window == 300)
        #expect(drifted.isSuperset(of: ["label", "out_of_vocabulary"]), "categories and vocabulary drifted: \(latest.report.columns)")
        let live = try #require(latest.report.live_accuracy), reference = try #require(latest.report.reference_accuracy)
        #expect(live < reference, "live accuracy \(live) on 2025–2026 papers, held out at training \(reference)")
        let words = try #require(latest.report.new_words)
        #expect(words.count >= 10 && words.allSatisfy { $0.count >= 2 }, "\(words)")

        let page = try await http.get("\(monitorURL)/api/drift/reports/\(latest.id)/html").text
        #expect(page.contains("label: the shares that moved most") && page.contains("Words the model never saw"), "\(page.prefix(800))")
        #expect(page.contains("<td>\(words[0].word)</td>"))
        _ = (trainer, classifier, monitor)
    }
}
