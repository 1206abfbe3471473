/// Every stream of Starstream. docs/STREAMS.md documents each one's messages; each consumer
/// group is named after the service that reads it, and each stream has a `<name>.dlq` beside it.
public enum StreamName {
    // Spectra pipeline
    /// Commands to download observation plans (`fetcher enqueue`).
    public static let spectraFetchRequests = "spectra.fetch-requests"
    public static let spectraDownloaded = "spectra.downloaded"
    public static let spectraCataloged = "spectra.cataloged"
    public static let spectraPreprocessed = "spectra.preprocessed"
    public static let spectraFeatures = "spectra.features"
    public static let spectraClassified = "spectra.classified"

    // Models, shared by both pipelines
    /// Commands to train now (`trainer train`).
    public static let modelsTrainRequests = "models.train-requests"
    public static let modelsTrained = "models.trained"

    // arXiv pipeline
    /// Commands to poll now or backfill a date range.
    public static let arxivPollRequests = "arxiv.poll-requests"
    public static let arxivArticles = "arxiv.articles"
    public static let arxivSummarized = "arxiv.summarized"
    public static let arxivClassified = "arxiv.classified"

    // Monitoring
    public static let driftReports = "drift.reports"
    public static let driftAlerts = "drift.alerts"

    public static let all = [
        spectraFetchRequests, spectraDownloaded, spectraCataloged, spectraPreprocessed, spectraFeatures,
        spectraClassified, modelsTrainRequests, modelsTrained, arxivPollRequests, arxivArticles,
        arxivSummarized, arxivClassified, driftReports, driftAlerts,
    ]
}
