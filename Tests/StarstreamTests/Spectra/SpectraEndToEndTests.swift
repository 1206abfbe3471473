import Contracts
import Foundation
import HTTPClient
import Redis
import Streams
import Testing

@Suite("Spectra pipeline end to end: FITS files in, versioned models and predictions out")
struct SpectraEndToEndTests {
    struct Session: Decodable {
        var models: [Model]
        var skipped: [String: String]
        struct Model: Decodable { var model: String }
    }

    struct Used: Decodable { var obsid: Int; var role: String }

    struct Prediction: Decodable {
        var status: String
        var `class`: SpectrumPrediction?
        var mk_letter: SpectrumPrediction?
        var survey_class: String
    }

    struct Summary: Decodable { var classified: Int; var awaiting_model: Int; var live_class_accuracy: Double? }
    struct HistoryEntry: Decodable { var obsid: Int; var model: String; var prediction: SpectrumPrediction; var replaced_by: String }

    @Test("""
        simulated and real spectra and one truncated file go fetcher → cataloger → preprocessor → feature-extractor → \
        trainer (automatic, then on command with unused spectra only) → classifier; every good file is classified, \
        the bad one is dead-lettered, and the registry says which spectra trained which model
        """)
    func fullPipeline() async throws {
        // A file:// archive: 400 simulated spectra in 4 plans, the 20 real ones and a truncated file in a fifth.
        let mirror = try makeTemporaryDirectory("mirror")
        let sim = try ServiceProcess("starstream-sim", arguments: ["--count", "400", "--seed", "11", "--per-plan", "100", "--out", mirror])
        #expect(await sim.waitForExit(timeout: .seconds(120)) == 0, "\(sim.errorText)")
        try FileManager.default.createDirectory(atPath: mirror + "/REAL", withIntermediateDirectories: true)
        for path in try Fixtures.lamostFiles() {
            try FileManager.default.copyItem(atPath: path, toPath: mirror + "/REAL/" + (path as NSString).lastPathComponent)
        }
        _ = try SpectrumFixtures.truncated(in: mirror + "/REAL")
        let plans = try FileManager.default.contentsOfDirectory(atPath: mirror).filter { !$0.contains(".") }.sorted()
        #expect(plans.count == 5)

        let redisServer = try PrivateRedis()
        let environment = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": try await TestDatabase.create(), "MONGO_URI": uniqueMongoURI(),
        ]
        func start(_ name: String, _ extra: [String: String] = [:], arguments: [String] = []) throws -> ServiceProcess {
            try ServiceProcess(name, arguments: arguments, environment: environment.merging(extra) { $1 })
        }
        let services = [
            try start("fetcher", ["DATA_DIR": try makeTemporaryDirectory("fetched")]),
            try start("cataloger"),
            try start("preprocessor", ["DATA_DIR": try makeTemporaryDirectory("processed")]),
            try start("feature-extractor"),
        ]
        let reports = try makeTemporaryDirectory("trainer")
        let trainer = try start("trainer", ["DATA_DIR": reports, "TRAIN_AFTER_NEW": "200", "FOREST_TREES": "60"])
        let trainerURL = "http://127.0.0.1:\(try await trainer.httpPort())"
        let classifier = try start("classifier", ["TRAINER_URL": trainerURL])
        let classifierURL = "http://127.0.0.1:\(try await classifier.httpPort())"
        let monitor = try start("drift-monitor", ["TRAINER_URL": trainerURL, "DRIFT_EVERY": "200", "DRIFT_WINDOW": "200"])
        _ = try await monitor.httpPort()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))

        let enqueue = try start("fetcher", [:], arguments: ["enqueue", "--base", "file://" + mirror] + plans)
        #expect(await enqueue.waitForExit() == 0)

        try await eventually(timeout: .seconds(240), "420 feature vectors") { try await redis.xlen(StreamName.spectraFeatures) == 420 }
        #expect(try await redis.xlen(StreamName.spectraDownloaded + ".dlq") == 1)
        let dead = try await redis.xrange(StreamName.spectraDownloaded + ".dlq")
        #expect(dead.first?.fields["dlq_error"]?.contains("truncated") == true, "\(dead)")

        // Automatic sessions (at 200 and 400 labelled) have trained both kinds; every vector is then classified.
        try await eventually(timeout: .seconds(120), "both models announced") { try await redis.xlen(StreamName.modelsTrained) >= 2 }
        try await eventually(timeout: .seconds(120), "420 classified") { try await redis.xlen(StreamName.spectraClassified) >= 420 }
        let http = HTTPClient()
        func get<T: Decodable>(_ url: String, as type: T.Type) async throws -> T {
            let response = try await http.get(url)
            #expect(response.status == 200, "\(url): \(response.status)")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(T.self, from: Data(response.body))
        }
        // Re-classifications (stars given a letter later) count in the stream, not in the store.
        try await eventually("420 spectra classified in the classifier's store") {
            let summary = try await get("\(classifierURL)/api/spectra/summary", as: Summary.self)
            return summary.classified == 420 && summary.awaiting_model == 0
        }
        let summary = try await get("\(classifierURL)/api/spectra/summary", as: Summary.self)
        #expect((summary.live_class_accuracy ?? 0) > 0.9, "\(summary)")

        func classified() async throws -> [SpectrumClassified] {
            try await redis.xrange(StreamName.spectraClassified).map {
                try SpectrumClassified(envelope: Envelope(entry: $0), stream: StreamName.spectraClassified)
            }
        }
        // Stars classified before the MK model was loaded are classified again when it is:
        // in the end, the latest answer for every predicted star has a letter, and only those.
        try await eventually("every star has its MK letter") {
            let latest = Dictionary(try await classified().map { ($0.obsid, $0) }) { _, later in later }
            return latest.count == 420 && latest.values.allSatisfy { ($0.objectClass.label == "STAR") == ($0.mkLetter != nil) }
        }
        #expect(try await classified().allSatisfy { abs($0.objectClass.probabilities.values.reduce(0, +) - 1) < 1e-9 })
        // A real A1IV star from the fixtures, through every service.
        let real = try await get("\(classifierURL)/api/spectra/901001", as: Prediction.self)
        #expect(real.status == "classified" && real.survey_class == "STAR" && real.class?.label == "STAR", "\(real)")
        // Why: the stored prediction explains itself (TreeSHAP, top features, adding up to the
        // model's output); the MK answer also gives a subtype. The messages carry no explanation.
        let explanation = try #require(real.class?.explanation, "the classifier stores an explanation with each prediction")
        #expect(explanation.label == "STAR" && !explanation.contributions.isEmpty && explanation.contributions.count <= 8)
        #expect(explanation.contributions.map { abs($0.contribution) } == explanation.contributions.map { abs($0.contribution) }.sorted(by: >))
        let letter = try #require(real.mk_letter)
        #expect(letter.explanation?.label == letter.label)
        #expect(letter.subtype != nil && letter.typeIndex != nil, "an MK answer with its regressed subtype: \(letter)")
        #expect(try await classified().allSatisfy { $0.objectClass.explanation == nil && $0.mkLetter?.explanation == nil })

        // Automatic sessions are requested as labelled vectors reach the trainer; wait until it has
        // taken every vector and run every session requested, so that the registry is complete.
        for stream in [StreamName.spectraFeatures, StreamName.modelsTrainRequests] {
            try await eventually(timeout: .seconds(120), "the trainer to finish \(stream)") {
                let group = try await redis.xinfoGroups(stream).first { $0.name == "trainer" }
                return group?.lag == 0 && group?.pending == 0
            }
        }

        // The registry: which spectra trained and validated each automatic model, and the reports on disk.
        let automaticModels = try await get("\(trainerURL)/api/models", as: [ModelTrained].self).filter { $0.kind == .spectraClass }
        #expect(automaticModels.count >= 1 && automaticModels.allSatisfy { $0.requestId.hasPrefix("auto-spectra-") })
        var used: Set<Int> = []
        for model in automaticModels {
            let spectra = try await get("\(trainerURL)/api/models/spectra-class/\(model.modelVersion)/spectra", as: [Used].self)
            #expect(spectra.count == model.trainCount + model.validationCount)
            #expect(Set(spectra.map(\.role)) == ["train", "validation"])
            used.formUnion(spectra.map(\.obsid))
        }
        #expect(used.count >= 150)
        let automatic = try FileManager.default.contentsOfDirectory(atPath: reports + "/reports")
        #expect(automatic.contains { $0.hasPrefix("training-auto-spectra-") && $0.hasSuffix(".json") }, "\(automatic)")

        // 150 spectra more, none trained on yet, whenever the automatic sessions ran (570 labelled
        // stays below the next automatic session's 600): what `--unused` will train on.
        let extra = try ServiceProcess("starstream-sim", arguments: ["--count", "150", "--seed", "12", "--per-plan", "150", "--out", mirror])
        #expect(await extra.waitForExit(timeout: .seconds(120)) == 0, "\(extra.errorText)")
        let more = try start("fetcher", [:], arguments: ["enqueue", "--base", "file://" + mirror, "SIM012_00"])
        #expect(await more.waitForExit() == 0)
        try await eventually(timeout: .seconds(240), "570 feature vectors") { try await redis.xlen(StreamName.spectraFeatures) >= 570 }
        try await eventually(timeout: .seconds(120), "the trainer to take the 150") {
            let group = try await redis.xinfoGroups(StreamName.spectraFeatures).first { $0.name == "trainer" }
            return group?.lag == 0 && group?.pending == 0
        }

        // A second classifier replica: every replica reads every announcement (a subscription,
        // not a group), so both load the next model at once; the trainer is asked only every
        // 300 s (MODEL_REFRESH_S), longer than this test waits.
        let replica = try start("classifier", ["TRAINER_URL": trainerURL])
        let replicaURL = "http://127.0.0.1:\(try await replica.httpPort())"

        // On command, with spectra no model has used: the next version trains on the others only.
        let next = automaticModels.count + 1
        let command = try start("trainer", ["TRAINER_URL": trainerURL], arguments: ["train", "--kinds", "spectra-class", "--unused", "--wait"])
        #expect(await command.waitForExit(timeout: .seconds(120)) == 0, "\(command.errorText)")
        #expect(command.lines.joined(separator: "\n").contains("spectra-class@\(next)"), "\(command.lines.joined(separator: "\n"))")
        let fresh = try await get("\(trainerURL)/api/models/spectra-class/\(next)/spectra", as: [Used].self)
        #expect(!fresh.isEmpty)
        #expect(Set(fresh.map(\.obsid)).isDisjoint(with: used))
        for url in [classifierURL, replicaURL] {
            try await eventually("\(url) loads spectra-class@\(next)") {
                try await get("\(url)/api/models", as: [ModelTrained].self).contains { $0.modelId == "spectra-class@\(next)" }
            }
        }
        try await eventually("570 spectra classified, every star with its letter") {
            let summary = try await get("\(classifierURL)/api/spectra/summary", as: Summary.self)
            let latest = Dictionary(try await classified().map { ($0.obsid, $0) }) { _, later in later }
            return summary.classified == 570 && summary.awaiting_model == 0 && latest.count == 570
                && latest.values.allSatisfy { ($0.objectClass.label == "STAR") == ($0.mkLetter != nil) }
        }

        // The new CLASS model re-classifies every stored spectrum in the background (one replica
        // holds the job): in the end the latest answer for every spectrum is the new model's,
        // and the answers it replaced stay queryable by version.
        try await eventually(timeout: .seconds(120), "every stored spectrum re-classified by spectra-class@\(next)") {
            let jobs = try await get("\(classifierURL)/api/reclassification", as: [ReclassificationJob].self)
                + get("\(replicaURL)/api/reclassification", as: [ReclassificationJob].self)
            return jobs.contains { $0.pipeline == "spectra" && $0.state == "finished" && $0.models.contains("spectra-class@\(next)") }
        }
        let relabelled = Dictionary(try await classified().map { ($0.obsid, $0) }) { _, later in later }
        #expect(relabelled.count == 570 && relabelled.values.allSatisfy { $0.objectClass.model == "spectra-class@\(next)" })
        let replaced = try await get("\(classifierURL)/api/spectra/901001/history", as: [HistoryEntry].self)
        #expect(!replaced.isEmpty && replaced.allSatisfy { $0.replaced_by.hasPrefix("spectra-") }, "\(replaced)")
        let earlier = try #require(replaced.first { $0.model.hasPrefix("spectra-class@") })
        #expect(earlier.model != "spectra-class@\(next)")
        let byVersion = try await get("\(classifierURL)/api/spectra/901001/history?model=\(earlier.model)", as: [HistoryEntry].self)
        #expect(byVersion.map(\.model) == [earlier.model] && byVersion.first?.prediction.label == earlier.prediction.label)

        // The drift monitor compared the spectra window with spectra-class's reference: every feature and both labels.
        try await eventually("a spectra drift report") {
            try await redis.xrange(StreamName.driftReports).contains {
                let report = try DriftReportMessage(envelope: Envelope(entry: $0), stream: StreamName.driftReports)
                return report.pipeline == "spectra" && report.model.hasPrefix("spectra-class@") && report.columnsTested > 40
            }
        }

        // The gateway: one door over what every service owns.
        var gatewayEnvironment = ["TRAINER_URL": trainerURL, "CLASSIFIER_URL": classifierURL, "DRIFT_MONITOR_URL": "http://127.0.0.1:\(try await monitor.httpPort())"]
        for (index, name) in ["fetcher", "cataloger", "preprocessor", "feature-extractor"].enumerated() {
            gatewayEnvironment[name.uppercased().replacingOccurrences(of: "-", with: "_") + "_URL"] = "http://127.0.0.1:\(try await services[index].httpPort())"
        }
        let gateway = try start("gateway", gatewayEnvironment)
        let gatewayURL = "http://127.0.0.1:\(try await gateway.httpPort())"
        try await checkGateway(gatewayURL, classified: try await classified(), trainer: trainerURL)

        // An owning service stops: its part answers 503 naming it; the gateway serves the rest.
        await expectCleanShutdown([services[1]])
        let down = try await http.send(HTTPClientRequest(url: "\(gatewayURL)/api/spectra/901001"))
        #expect(down.status == 503)
        let problem = try JSONSerialization.jsonObject(with: Data(down.body)) as? [String: Any]
        #expect(problem?["service"] as? String == "cataloger", "\(problem ?? [:])")
        #expect(try await http.get("\(gatewayURL)/api/spectra?limit=5").status == 200)

        await expectCleanShutdown([services[0], services[2], services[3], trainer, classifier, replica, monitor, gateway])
    }

    /// What the gateway serves over the finished pipeline: one spectrum from four services, a
    /// filtered list paged to its end, the registry and drift reports.
    func checkGateway(_ gateway: String, classified: [SpectrumClassified], trainer: String) async throws {
        let http = HTTPClient()
        func object(_ path: String) async throws -> [String: Any] {
            let response = try await http.get(gateway + path)
            return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any], "\(path)")
        }
        let spectrum = try await object("/api/spectra/901001")
        #expect((spectrum["catalog"] as? [String: Any])?["obsid"] as? Int == 901001)
        #expect(((spectrum["prediction"] as? [String: Any])?["class"] as? [String: Any])?["label"] as? String == "STAR")
        let explained = ((spectrum["prediction"] as? [String: Any])?["class"] as? [String: Any])?["explanation"] as? [String: Any]
        #expect((explained?["contributions"] as? [[String: Any]])?.isEmpty == false, "the gateway serves the classifier's explanation")
        #expect(spectrum["features"] is [String: Any] && spectrum["spectrum"] is [String: Any], "features and flux arrays from their stages")

        let latest = Dictionary(classified.map { ($0.obsid, $0) }) { _, later in later }
        let stars = Set(latest.values.filter { $0.objectClass.label == "STAR" }.map(\.obsid))
        var listed: [Int] = []
        var cursor: Int?
        repeat {
            let page = try await object("/api/spectra?class=STAR&limit=100" + (cursor.map { "&cursor=\($0)" } ?? ""))
            let items = try #require(page["items"] as? [[String: Any]])
            #expect(items.allSatisfy { ($0["class"] as? [String: Any])?["label"] as? String == "STAR" })
            #expect(items.allSatisfy { ($0["class"] as? [String: Any])?["explanation"] == nil }, "a list leaves explanations out")
            listed += items.compactMap { $0["obsid"] as? Int }
            cursor = page["next_cursor"] as? Int
        } while cursor != nil
        #expect(listed == listed.sorted() && Set(listed) == stars, "every predicted star once, in OBSID order")

        let confident = try #require(try await object("/api/spectra?min_confidence=0.9&limit=500")["items"] as? [[String: Any]])
        #expect(confident.allSatisfy { item in
            let prediction = item["class"] as? [String: Any]
            let label = prediction?["label"] as? String ?? ""
            return ((prediction?["probabilities"] as? [String: Double])?[label] ?? 0) >= 0.9
        })
        let bad = try await http.send(HTTPClientRequest(url: gateway + "/api/spectra?min_confidence=2"))
        #expect(bad.status == 400)
        // The replaced answers and the re-classification, through the one door.
        let replaced = try JSONSerialization.jsonObject(with: Data(try await http.get(gateway + "/api/spectra/901001/history").body)) as? [[String: Any]]
        #expect(replaced?.isEmpty == false && replaced?.allSatisfy { $0["model"] is String && $0["prediction"] is [String: Any] } == true)
        let jobs = try JSONSerialization.jsonObject(with: Data(try await http.get(gateway + "/api/reclassification").body)) as? [[String: Any]]
        #expect(jobs?.contains { $0["pipeline"] as? String == "spectra" } == true)
        #expect(try await http.send(HTTPClientRequest(url: gateway + "/api/spectra/901001/history?model=not-a-version")).status == 400)

        let models = try JSONSerialization.jsonObject(with: Data(try await http.get(gateway + "/api/models").body)) as? [[String: Any]]
        #expect((models?.count ?? 0) >= 2)
        let evaluation = try await object("/api/models/spectra-class/1")
        #expect(!evaluation.isEmpty)
        let trainingSet = try JSONSerialization.jsonObject(with: Data(try await http.get(gateway + "/api/models/spectra-class/1/training-set").body)) as? [[String: Any]]
        #expect((trainingSet?.count ?? 0) >= 100)
        #expect(try await http.get(gateway + "/api/drift/reports").status == 200)

        // The same results as a person sees them, in a real browser.
        let page = try await renderedDOM(gateway + "/spectra/901001", screenshot: "spectrum")
        #expect(page.contains("data-series=\"flux\"") && page.contains("data-series=\"continuum\""), "flux and continuum drawn")
        #expect(page.contains("<tr data-label=\"STAR\">"), "CLASS probabilities listed")
        #expect(page.contains("Why STAR: the features that moved it most") && page.contains("<tr data-contribution=\""), "the explanation shown")
        #expect(page.contains("What earlier models said") && page.contains("<tr data-history=\"spectra-class@"), "the replaced answers shown")
        #expect(page.contains("<g class=\"line-marker\" data-line=\"H_alpha\">") && page.contains(">H alpha</text>"), "the measured lines marked and labelled on the plot")
        #expect(page.contains("<tr data-line=\"Na_D\">"), "the measured lines listed with their widths")
        let list = try await renderedDOM(gateway + "/spectra?class=STAR", screenshot: "spectra")
        // Every predicted class shown is STAR ("STAR (97%)"); the survey's own class may differ (a galaxy called a star).
        #expect(list.contains("<tr data-obsid=\"") && !list.contains("<td>GALAXY (") && !list.contains("<td>QSO ("), "the filtered list rendered")
        let model = try await renderedDOM(gateway + "/models/spectra-class/1", screenshot: "model")
        #expect(model.contains("class=\"confusion\"") && model.contains("data-class=\"STAR\""), "confusion matrix and per-class F1")
        // Every cell of the heatmap holds the trainer's count for that pair of labels.
        let validation = try #require(evaluation["validation"] as? [String: Any])
        let labels = try #require(validation["labels"] as? [String]), confusion = try #require(validation["confusion"] as? [[Int]])
        for (i, truth) in labels.enumerated() {
            for (j, predicted) in labels.enumerated() {
                let cell = try #require(model.firstRange(of: try Regex("data-cell=\"\(truth)\\|\(predicted)\"[^>]*>([0-9]+)</td>")), "cell \(truth)→\(predicted)")
                #expect(model[cell].hasSuffix(">\(confusion[i][j])</td>"), "cell \(truth)→\(predicted) holds \(confusion[i][j])")
            }
        }
        let bins = try #require(validation["reliability"] as? [[String: Any]]).filter { ($0["count"] as? Int ?? 0) > 0 }
        #expect(!bins.isEmpty && bins.allSatisfy { bin in model.contains("data-count=\"\(bin["count"] as? Int ?? -1)\"") }, "the reliability diagram draws each non-empty bin")
        let overview = try await renderedDOM(gateway + "/", screenshot: "overview")
        #expect(overview.contains("data-latest=\"spectra-class\"") && overview.contains("data-latest=\"spectra-mk\""), "the newest model of each kind")
        #expect(overview.contains("<td class=\"state ready\">ready</td>"))
        let registry = try await renderedDOM(gateway + "/models")
        #expect(registry.contains("data-model=\"spectra-class@1\""))
        #expect(registry.contains("<tr data-reclassification=\"spectra\">"), "the re-classification's progress listed")
    }
}
