/// The services, their default HTTP ports, and which streams each one reads.
public enum ServiceDirectory {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var port: Int
        /// Streams read by this service's consumer group (named after the service).
        public var consumes: [String]
        public var produces: [String]
        /// Streams every replica of this service reads in full, without a group (announcements).
        public var subscribes: [String] = []
    }

    public static let services: [Entry] = [
        Entry(name: "gateway", port: 8080, consumes: [], produces: [StreamName.spectraFetchRequests, StreamName.modelsTrainRequests, StreamName.arxivPollRequests]),
        Entry(name: "fetcher", port: 8081, consumes: [StreamName.spectraFetchRequests], produces: [StreamName.spectraDownloaded]),
        Entry(name: "cataloger", port: 8082, consumes: [StreamName.spectraDownloaded], produces: [StreamName.spectraCataloged]),
        Entry(name: "preprocessor", port: 8083, consumes: [StreamName.spectraCataloged], produces: [StreamName.spectraPreprocessed]),
        Entry(name: "feature-extractor", port: 8084, consumes: [StreamName.spectraPreprocessed], produces: [StreamName.spectraFeatures]),
        Entry(name: "trainer", port: 8085,
              consumes: [StreamName.spectraFeatures, StreamName.arxivArticles, StreamName.modelsTrainRequests],
              produces: [StreamName.modelsTrained]),
        Entry(name: "arxiv-poller", port: 8086, consumes: [StreamName.arxivPollRequests], produces: [StreamName.arxivArticles]),
        Entry(name: "summarizer", port: 8087, consumes: [StreamName.arxivArticles], produces: [StreamName.arxivSummarized]),
        Entry(name: "classifier", port: 8088,
              consumes: [StreamName.spectraFeatures, StreamName.arxivArticles],
              produces: [StreamName.spectraClassified, StreamName.arxivClassified], subscribes: [StreamName.modelsTrained]),
        Entry(name: "drift-monitor", port: 8089,
              consumes: [StreamName.modelsTrained, StreamName.spectraFeatures, StreamName.spectraClassified, StreamName.arxivArticles, StreamName.arxivClassified],
              produces: [StreamName.driftReports, StreamName.driftAlerts]),
    ]

    public static func entry(_ name: String) -> Entry? {
        services.first { $0.name == name }
    }

    /// The default `HTTP_PORT` of `service`; 8090 for tools that are not services.
    public static func defaultPort(of service: String) -> Int {
        entry(service)?.port ?? 8090
    }
}
