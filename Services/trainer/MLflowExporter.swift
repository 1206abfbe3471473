import BlockingIO
import Contracts
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Sends every registered model version to MLflow when `MLFLOW_TRACKING_URI` is set: in the
/// background, one version at a time, apart from training (which never waits for it). A
/// version whose export fails (MLflow down, an error answer) is logged and tried again after a
/// back-off (`retryBase` doubling, at most `retryMax`); a half-done export continues its run.
struct MLflowExporter: Service {
    let store: TrainerStore
    let client: MLflowClient
    let logger: Logger
    /// Names the experiments (`<prefix>/<kind>`) and registered models (`<prefix>-<kind>`).
    var prefix = "starstream"
    /// How often to look for versions to export when there is nothing to do.
    var interval: Duration = .seconds(10)
    var retryBase: Duration = .seconds(30)
    var retryMax: Duration = .seconds(1800)
    /// How long one replica keeps a version to itself while exporting it: above the worst
    /// export (about fifteen calls of at most 35 s each, one attempt apiece).
    var lease: Duration = .seconds(1800)

    func run() async throws {
        let exported = Counter(label: "starstream_mlflow_exports_total", dimensions: [("outcome", "exported")])
        let failed = Counter(label: "starstream_mlflow_exports_total", dimensions: [("outcome", "failed")])
        logger.info("exporting trained models to MLflow", metadata: ["tracking_uri": "\(client.baseURL)"])
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            var busy = false
            do {
                if let pending = try await store.claimMLflowExport(lease: lease) {
                    busy = true
                    let model = pending.announcement
                    do {
                        let registered = try await export(pending)
                        try await store.finishMLflowExport(pending, registeredVersion: registered)
                        exported.increment()
                        logger.info("exported to MLflow", metadata: [
                            "model": "\(model.modelId)", "registered_model": "\(prefix)-\(model.kind.rawValue)", "registered_version": "\(registered)",
                        ])
                    } catch {
                        failed.increment()
                        let wait = retryDelay(afterAttempt: pending.attempts)
                        logger.warning("MLflow export failed; will retry", metadata: [
                            "model": "\(model.modelId)", "attempt": "\(pending.attempts)", "retry_in_s": "\(Int(wait.inSeconds))", "error": "\(error)",
                        ])
                        try await store.failMLflowExport(pending, error: "\(error)", retryIn: wait)
                    }
                }
            } catch {
                // The trainer's own database: its readiness reports that; look again later.
                logger.warning("could not look for models to export to MLflow", metadata: ["error": "\(error)"])
            }
            if !busy {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        }
    }

    func retryDelay(afterAttempt attempt: Int) -> Duration {
        let factor = 1 << min(max(attempt - 1, 0), 16)
        return min(retryBase * factor, retryMax)
    }

    /// Exports one version; returns its version number in MLflow's model registry.
    func export(_ pending: TrainerStore.MLflowPending) async throws -> String {
        let export = try MLflowExport(pending, prefix: prefix)
        let experiment = try await client.experimentID(named: export.experiment)
        let run: MLflowClient.Run
        if let id = pending.runId {
            run = try await client.run(id: id)
        } else if let found = try await client.findRun(experimentID: experiment, tag: MLflowExport.modelTag, value: export.runName) {
            run = found  // created by an attempt that stopped before recording it
        } else {
            run = try await client.createRun(experimentID: experiment, name: export.runName, startTime: export.trainedAt, tags: export.tags)
        }
        if pending.runId == nil { try await store.recordMLflowRun(pending, runId: run.id) }
        var tags = export.tags
        if MLflowClient.isProxied(run) {
            for (path, bytes) in export.artifacts { try await client.upload(bytes, as: path, to: run) }
        } else {
            tags.append(("starstream.artifacts", "not uploaded: the artifact store \(run.artifactURI) is not served by the tracking server (start it with --serve-artifacts)"))
            logger.warning("MLflow's artifact store is not served by its tracking server; artifacts not uploaded", metadata: ["artifact_uri": "\(run.artifactURI)"])
        }
        try await client.log(runID: run.id, params: export.params, metrics: export.metrics, tags: tags, time: export.finishedAt)
        try await client.finish(runID: run.id, at: export.finishedAt)
        try await client.ensureRegisteredModel(export.registeredModel, description: "Starstream's \(pending.announcement.kind.rawValue) models, one version per training")
        if let existing = try await client.modelVersion(export.registeredModel, runID: run.id) { return existing }
        return try await client.createModelVersion(
            export.registeredModel, source: run.artifactURI + "/model", runID: run.id,
            tags: [("starstream.model_version", String(pending.announcement.modelVersion)), ("starstream.feature_version", pending.announcement.featureVersion),
                   (MLflowExport.modelTag, export.runName)])
    }
}
