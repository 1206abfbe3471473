import Contracts
import Foundation
import Learning
import Logging
import Streams

/// Compares the latest window of each pipeline with the reference profile of its active model
/// every `every` predictions, stores the report, announces it, and raises an alert on dataset
/// drift or on live accuracy far below the reference.
struct DriftMonitor: Sendable {
    let store: DriftStore
    let references: ReferenceBook
    let producer: StreamProducer
    let window: Int
    let every: Int
    let shareThreshold: Double
    let logger: Logger

    /// The model whose reference each pipeline is compared with, and where its columns come from.
    static let pipelines: [String: (kind: ModelKind, numericSource: String, categoricalSource: String)] = [
        "spectra": (.spectraClass, "features", "predictions"),
        "arxiv": (.arxivCategory, "predictions", "predictions"),
    ]

    func observe(pipeline: String, source: String, key: String, _ observation: DriftStore.Observation, trace: String) async throws {
        guard let count = try await store.record(pipeline: pipeline, source: source, key: key, observation, countingSource: "predictions"),
              count % every == 0 else { return }
        try await report(pipeline, trace: trace)
    }

    @discardableResult
    func report(_ pipeline: String, trace: String) async throws -> DriftReport? {
        guard let setup = Self.pipelines[pipeline] else { return nil }
        guard let reference = await references.profile(setup.kind) else {
            logger.info("no reference profile yet; drift not measured", metadata: ["pipeline": "\(pipeline)"])
            return nil
        }
        let numeric = try await store.window(pipeline: pipeline, source: setup.numericSource, size: window)
        let categorical = setup.numericSource == setup.categoricalSource
            ? numeric : try await store.window(pipeline: pipeline, source: setup.categoricalSource, size: window)
        var columns: [ColumnDrift] = []
        var histograms: [String: DriftReport.Histogram] = [:]
        for (column, values) in reference.numeric.sorted(by: { $0.key < $1.key }) where !values.isEmpty {
            let current = numeric.compactMap { $0.numeric[column] }.filter(\.isFinite)
            guard current.count >= 20 else { continue }
            let drift = ColumnDrift.numeric(column, reference: values, current: current)
            columns.append(drift)
            if drift.drifted {
                let edges = Self.edges(values + current)
                histograms[column] = .init(
                    edges: edges, labels: nil, reference: DriftStatistics.histogram(values, edges: Array(edges.dropFirst().dropLast())),
                    current: DriftStatistics.histogram(current, edges: Array(edges.dropFirst().dropLast())))
            }
        }
        for (column, values) in reference.categorical.sorted(by: { $0.key < $1.key }) where !values.isEmpty {
            let current = categorical.compactMap { $0.categorical[column] }
            guard current.count >= 20 else { continue }
            let drift = ColumnDrift.categorical(column, reference: values, current: current)
            columns.append(drift)
            if drift.drifted {
                let labels = Array(Set(values).union(current)).sorted()
                func counts(_ sample: [String]) -> [Double] {
                    let tally = Dictionary(sample.map { ($0, 1.0) }, uniquingKeysWith: +)
                    return labels.map { tally[$0] ?? 0 }
                }
                histograms[column] = .init(edges: [], labels: labels, reference: counts(values), current: counts(current))
            }
        }
        guard !columns.isEmpty else { return nil }
        let graded = categorical.compactMap(\.correct)
        let share = Double(columns.filter(\.drifted).count) / Double(columns.count)
        var report = DriftReport(
            pipeline: pipeline, model: reference.model, window: max(numeric.count, categorical.count), columns: columns, share: share,
            datasetDrift: share >= shareThreshold, shareThreshold: shareThreshold,
            liveAccuracy: graded.isEmpty ? nil : Double(graded.filter { $0 }.count) / Double(graded.count),
            referenceAccuracy: reference.accuracy, createdAt: Date(), histograms: histograms)
        var reasons: [String] = []
        if report.datasetDrift {
            reasons.append(String(format: "dataset drift: %d of %d columns drifted (%.0f%% ≥ %.0f%%)", report.drifted.count, columns.count, share * 100, shareThreshold * 100))
        }
        if let live = report.liveAccuracy, let expected = report.referenceAccuracy, graded.count >= 50, live < expected - 0.1 {
            reasons.append(String(format: "live accuracy %.3f is more than 0.1 below the held-out %.3f", live, expected))
        }
        report.alerts = reasons
        report.newWords = Self.newWords(categorical.map(\.newWords))
        let id = try await store.save(report) { [report] in HTMLReport.render(report, id: $0) }
        let message = DriftReportMessage(
            reportId: id, pipeline: pipeline, model: report.model, window: report.window, columnsTested: columns.count,
            driftedColumns: report.drifted, share: share, datasetDrift: report.datasetDrift, liveAccuracy: report.liveAccuracy,
            referenceAccuracy: report.referenceAccuracy)
        try await producer.publish(message, trace: trace)
        logger.info("drift report", metadata: [
            "report": "\(id)", "pipeline": "\(pipeline)", "model": "\(report.model)", "drifted": "\(report.drifted.count)/\(columns.count)",
            "dataset_drift": "\(report.datasetDrift)",
        ])
        if !reasons.isEmpty {
            try await producer.publish(
                DriftAlert(reportId: id, pipeline: pipeline, model: report.model, reason: reasons.joined(separator: "; "), driftedColumns: report.drifted),
                trace: trace)
        }
        return report
    }

    /// The 20 unknown words in most texts (at least two), most first; nil when the texts carry none.
    static func newWords(_ texts: [[String]]) -> [DriftReport.WordCount]? {
        guard texts.contains(where: { !$0.isEmpty }) else { return nil }
        var counts: [String: Int] = [:]
        for words in texts { for word in Set(words) { counts[word, default: 0] += 1 } }
        return counts.filter { $0.value >= 2 }.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(20)
            .map { DriftReport.WordCount(word: $0.key, count: $0.value) }
    }

    /// 20 equal bins over both samples.
    static func edges(_ values: [Double]) -> [Double] {
        guard let low = values.min(), let high = values.max(), high > low else { return [0, 1] }
        return (0...20).map { low + (high - low) * Double($0) / 20 }
    }
}

/// The reference profile of the active model of each kind, from the trainer's HTTP API.
actor ReferenceBook {
    private var profiles: [ModelKind: (version: Int, profile: ReferenceProfile)] = [:]

    func profile(_ kind: ModelKind) -> ReferenceProfile? { profiles[kind]?.profile }

    func version(_ kind: ModelKind) -> Int? { profiles[kind]?.version }

    func install(_ kind: ModelKind, version: Int, _ profile: ReferenceProfile) {
        if let current = profiles[kind], current.version >= version { return }
        profiles[kind] = (version, profile)
    }
}
