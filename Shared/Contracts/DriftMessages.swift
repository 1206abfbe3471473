import Foundation
import Streams

/// `drift.reports` v1: the current window of a pipeline compared with its model's reference.
public struct DriftReportMessage: StreamMessage, Equatable {
    public static let stream = StreamName.driftReports
    public static let type = "drift.report"
    public static let version = 1

    public var reportId: Int
    /// `spectra` or `arxiv`.
    public var pipeline: String
    /// The model whose reference was used, `arxiv-category@2`.
    public var model: String
    public var window: Int
    public var columnsTested: Int
    public var driftedColumns: [String]
    public var share: Double
    public var datasetDrift: Bool
    public var liveAccuracy: Double?
    public var referenceAccuracy: Double?
    /// `/api/drift/reports/<id>/html` on the drift monitor.
    public var htmlPath: String

    enum CodingKeys: String, CodingKey {
        case reportId = "report_id", pipeline, model, window, columnsTested = "columns_tested", driftedColumns = "drifted_columns", share,
             datasetDrift = "dataset_drift", liveAccuracy = "live_accuracy", referenceAccuracy = "reference_accuracy", htmlPath = "html_path"
    }

    public init(
        reportId: Int, pipeline: String, model: String, window: Int, columnsTested: Int, driftedColumns: [String], share: Double,
        datasetDrift: Bool, liveAccuracy: Double?, referenceAccuracy: Double?
    ) {
        (self.reportId, self.pipeline, self.model, self.window, self.columnsTested) = (reportId, pipeline, model, window, columnsTested)
        (self.driftedColumns, self.share, self.datasetDrift) = (driftedColumns, share, datasetDrift)
        (self.liveAccuracy, self.referenceAccuracy) = (liveAccuracy, referenceAccuracy)
        htmlPath = "/api/drift/reports/\(reportId)/html"
    }

    public var idempotencyKey: String { "drift-report:\(reportId)" }
}

/// `drift.alerts` v1: a report found dataset drift (or live accuracy far below the reference).
public struct DriftAlert: StreamMessage, Equatable {
    public static let stream = StreamName.driftAlerts
    public static let type = "drift.alert"
    public static let version = 1

    public var reportId: Int
    public var pipeline: String
    public var model: String
    public var reason: String
    public var driftedColumns: [String]

    enum CodingKeys: String, CodingKey { case reportId = "report_id", pipeline, model, reason, driftedColumns = "drifted_columns" }

    public init(reportId: Int, pipeline: String, model: String, reason: String, driftedColumns: [String]) {
        (self.reportId, self.pipeline, self.model, self.reason, self.driftedColumns) = (reportId, pipeline, model, reason, driftedColumns)
    }

    public var idempotencyKey: String { "drift-alert:\(reportId)" }
}
