import Contracts
import Foundation
import Learning
import Postgres
import ServiceKit
import ServiceLifecycle
import Spectra

/// The trainer's own schema: the labelled feature vectors it has received, the model registry
/// (parameters, measures, artifact), which spectra trained or validated each model (the
/// original `trained_spectra.csv`), and the report of each training session.
struct TrainerStore: Sendable {
    let pool: PostgresPool

    static let migrator = SchemaMigrator(schema: "trainer", migrations: [
        .idempotencyLedger(schema: "trainer"),
        Migration(version: 2, name: "labelled spectra, model registry, trained spectra, sessions", statements: [
            """
            CREATE TABLE trainer.spectra (
                obsid bigint NOT NULL,
                feature_version text NOT NULL,
                class text NOT NULL,
                subclass text NOT NULL,
                source_sha256 text NOT NULL,
                features jsonb NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (obsid, feature_version))
            """,
            """
            CREATE TABLE trainer.models (
                kind text NOT NULL,
                version integer NOT NULL,
                feature_version text NOT NULL,
                request_id text NOT NULL,
                announcement jsonb NOT NULL,
                evaluation jsonb NOT NULL,
                artifact text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (kind, version))
            """,
            "CREATE INDEX models_request ON trainer.models (request_id)",
            """
            CREATE TABLE trainer.trained_spectra (
                kind text NOT NULL,
                version integer NOT NULL,
                obsid bigint NOT NULL,
                role text NOT NULL CHECK (role IN ('train', 'validation')),
                PRIMARY KEY (kind, version, obsid),
                FOREIGN KEY (kind, version) REFERENCES trainer.models)
            """,
            "CREATE INDEX trained_spectra_obsid ON trainer.trained_spectra (kind, obsid)",
            """
            CREATE TABLE trainer.sessions (
                request_id text PRIMARY KEY,
                report jsonb NOT NULL,
                finished_at timestamptz NOT NULL DEFAULT now())
            """,
            // One row: the labelled count at the last automatic trigger.
            "CREATE TABLE trainer.auto_training (pipeline text PRIMARY KEY, triggered_at_count bigint NOT NULL)",
            "INSERT INTO trainer.auto_training VALUES ('spectra', 0)",
        ]),
        Migration(version: 3, name: "articles and the articles each text model used", statements: [
            """
            CREATE TABLE trainer.articles (
                id text PRIMARY KEY,
                version integer NOT NULL,
                primary_category text NOT NULL,
                title text NOT NULL,
                summary text NOT NULL,
                published timestamptz NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE trainer.trained_articles (
                kind text NOT NULL,
                version integer NOT NULL,
                article_id text NOT NULL,
                role text NOT NULL CHECK (role IN ('train', 'validation')),
                PRIMARY KEY (kind, version, article_id),
                FOREIGN KEY (kind, version) REFERENCES trainer.models)
            """,
            "INSERT INTO trainer.auto_training VALUES ('arxiv', 0)",
        ]),
        Migration(version: 4, name: "reference profiles for drift", statements: [
            "ALTER TABLE trainer.models ADD COLUMN reference jsonb",
        ]),
        // Which release (or the simulator) each labelled spectrum came from, for the reports.
        Migration(version: 5, name: "labelled spectra's source", statements: [
            "ALTER TABLE trainer.spectra ADD COLUMN source text",
        ]),
        // Each model version's export to MLflow (MLflowExporter): claimed by one replica at a
        // time, retried with back-off, finished once its run and registered version exist.
        Migration(version: 6, name: "MLflow exports", statements: [
            """
            CREATE TABLE trainer.mlflow_exports (
                kind text NOT NULL,
                version integer NOT NULL,
                run_id text,
                registered_version text,
                attempts integer NOT NULL DEFAULT 0,
                last_error text,
                retry_after timestamptz,
                claimed_until timestamptz,
                exported_at timestamptz,
                PRIMARY KEY (kind, version),
                FOREIGN KEY (kind, version) REFERENCES trainer.models)
            """,
        ]),
        // The categories besides the primary a paper is cross-listed to: the text models leave a
        // paper out of those classes' machines rather than count it against them.
        Migration(version: 7, name: "articles' cross-lists", statements: [
            "ALTER TABLE trainer.articles ADD COLUMN cross_lists jsonb NOT NULL DEFAULT '[]'",
        ]),
    ])

    /// A model to register: what the announcement says, the artifact and evaluation as JSON,
    /// and the examples it used.
    struct ModelRecord: Sendable {
        var kind: ModelKind
        var featureVersion: String
        var classes: [String]
        var trainCount: Int
        var validationCount: Int
        var accuracy: Double
        var balancedAccuracy: Double
        var macroF1: Double
        var artifact: String
        var evaluation: String
        /// The training data's profile for the drift monitor (model name filled in at registration).
        var reference: ReferenceProfile
        /// OBSIDs (spectra) or article ids (text).
        var train: [String]
        var validation: [String]

        static func encode(_ value: some Encodable) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            encoder.dateEncodingStrategy = .iso8601
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }

        init(_ result: SpectraTrainer.Result) throws {
            let e = result.evaluation
            (kind, featureVersion, classes, trainCount, validationCount) = (result.kind, e.featureVersion, e.classes, e.trainCount, e.validationCount)
            (accuracy, balancedAccuracy, macroF1) = (e.validation.accuracy, e.validation.balancedAccuracy, e.validation.macroF1)
            artifact = try TrainerStore.encodeArtifact(result.model)
            evaluation = try Self.encode(e)
            reference = result.reference
            train = result.train.map(String.init)
            validation = result.validation.map(String.init)
        }

        init(_ result: TextTrainer.Result) throws {
            let e = result.evaluation, r = e.chosenReport
            (kind, featureVersion, classes, trainCount, validationCount) = (result.kind, e.featureVersion, e.classes, e.trainCount, e.validationCount)
            (accuracy, balancedAccuracy, macroF1) = (r.accuracy, r.balancedAccuracy, r.macroF1)
            artifact = try Self.encode(result.model)
            evaluation = try Self.encode(e)
            reference = result.reference
            (train, validation) = (result.train, result.validation)
        }
    }

    /// Keeps a feature vector; true when it is new (not a redelivery or a re-extraction).
    func save(_ message: SpectrumFeatures) async throws -> Bool {
        let rows = try await pool.query(
            """
            INSERT INTO trainer.spectra (obsid, feature_version, class, subclass, source_sha256, features, source)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
            ON CONFLICT (obsid, feature_version) DO UPDATE SET class = EXCLUDED.class, subclass = EXCLUDED.subclass,
                source_sha256 = EXCLUDED.source_sha256, features = EXCLUDED.features, source = EXCLUDED.source
            RETURNING (xmax = 0) AS inserted
            """,
            message.entry.obsid, message.features.version, message.entry.objectClass, message.entry.subclass, message.sha256,
            PostgresJSON(message.features), message.entry.source)
        return try rows.first?.decode("inserted", as: Bool.self) ?? false
    }

    /// When `every` labelled examples of `pipeline` (`spectra`, `arxiv`) have arrived since its
    /// last automatic trigger, moves the trigger and returns the count (one caller wins, even
    /// across replicas).
    func claimAutomaticTraining(_ pipeline: String, every: Int) async throws -> Int? {
        let count = pipeline == "spectra"
            ? "SELECT count(*) AS n FROM trainer.spectra WHERE class IN ('STAR', 'GALAXY', 'QSO')"
            : "SELECT count(*) AS n FROM trainer.articles"
        return try await pool.query(
            """
            UPDATE trainer.auto_training a SET triggered_at_count = c.n FROM (\(count)) c
            WHERE a.pipeline = $1 AND c.n >= a.triggered_at_count + $2
            RETURNING c.n
            """, pipeline, every
        ).first?.decode("n", as: Int.self)
    }

    /// Keeps the newest version of a paper; true when the paper is new to the trainer.
    func save(_ article: ArxivArticle) async throws -> Bool {
        let entry = article.entry
        let rows = try await pool.query(
            """
            INSERT INTO trainer.articles (id, version, primary_category, title, summary, published, cross_lists)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
            ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, primary_category = EXCLUDED.primary_category,
                title = EXCLUDED.title, summary = EXCLUDED.summary, cross_lists = EXCLUDED.cross_lists
            WHERE trainer.articles.version < EXCLUDED.version
            RETURNING (xmax = 0) AS inserted
            """,
            entry.id, entry.version, entry.primaryCategory, entry.title, entry.summary, entry.published.formatted(.iso8601),
            PostgresJSON(entry.categories.filter { $0 != entry.primaryCategory }))
        return try rows.first?.decode("inserted", as: Bool.self) ?? false
    }

    /// Papers (newest version of each), oldest first; with `.unused`, only those no model of `kind` has seen.
    func articles(kind: ModelKind, selection: TrainRequest.Selection, limit: Int?) async throws -> [LabelledText] {
        try await pool.query(
            """
            SELECT id, primary_category, cross_lists, title, summary, extract(epoch FROM published)::float8 AS t FROM trainer.articles a
            WHERE $1 = 'all' OR NOT EXISTS (SELECT 1 FROM trainer.trained_articles u WHERE u.kind = $2 AND u.article_id = a.id)
            ORDER BY published, id LIMIT $3
            """, selection.rawValue, kind.rawValue, limit
        ).map {
            LabelledText(
                id: try $0.decode("id"), title: try $0.decode("title"), abstract: try $0.decode("summary"),
                primaryCategory: try $0.decode("primary_category"), crossLists: try $0.decode("cross_lists", as: PostgresJSON<[String]>.self).value,
                published: Date(timeIntervalSince1970: try $0.decode("t", as: Double.self)))
        }
    }

    /// The feature version most recently received.
    func latestFeatureVersion() async throws -> String? {
        try await pool.query("SELECT feature_version FROM trainer.spectra ORDER BY received_at DESC LIMIT 1").first?
            .decode("feature_version", as: String.self)
    }

    /// Labelled examples of `featureVersion`, oldest OBSID first; with `.unused`, only those no
    /// model of `kind` has seen.
    func examples(featureVersion: String, kind: ModelKind, selection: TrainRequest.Selection, limit: Int?) async throws -> [LabelledSpectrum] {
        try await pool.query(
            """
            SELECT obsid, class, subclass, features, source FROM trainer.spectra s
            WHERE feature_version = $1
              AND ($2 = 'all' OR NOT EXISTS (SELECT 1 FROM trainer.trained_spectra t WHERE t.kind = $3 AND t.obsid = s.obsid))
            ORDER BY obsid LIMIT $4
            """, featureVersion, selection.rawValue, kind.rawValue, limit
        ).map {
            LabelledSpectrum(
                obsid: try $0.decode("obsid"), objectClass: try $0.decode("class"), subclass: try $0.decode("subclass"),
                features: try $0.decode("features", as: PostgresJSON<FeatureVector>.self).value, source: try $0.decodeIfPresent("source", as: String.self))
        }
    }

    /// Runs `body` holding the trainer's session lock: a PostgreSQL advisory lock taken on a
    /// connection of its own (not one of the pool's, which `body` needs), released when `body`
    /// ends or, should this process die, when that connection closes. `waiting` is called once
    /// if another replica holds it; replicas waiting poll, so they are not served in order.
    /// `body` gets `confirmHeld`, to call before it registers anything: the lock is gone if its
    /// connection dropped while the session trained. At shutdown a waiting replica gives up and
    /// throws; the request stays pending for another replica.
    func holdingSessionLock(
        waiting: @Sendable () -> Void, body: (_ confirmHeld: @Sendable () async throws -> Void) async throws -> Void
    ) async throws {
        let connection = PostgresConnection(url: pool.url)
        let holder: Int?
        do {
            holder = try await Self.acquireSessionLock(on: connection, waiting: waiting)
        } catch {
            await connection.disconnect()
            throw error
        }
        let confirmHeld: @Sendable () async throws -> Void = {
            // A dropped connection makes this statement fail (libpq reconnects only on the next one).
            let current = try await connection.query("SELECT pg_backend_pid() AS pid").first?.decode("pid", as: Int.self)
            guard current == holder else { throw SessionLockLost() }
        }
        do {
            try await body(confirmHeld)
        } catch {
            await connection.disconnect()  // Closing the session releases its advisory locks.
            throw error
        }
        await connection.disconnect()
    }

    /// Polls until the lock is ours; returns the backend holding it.
    private static func acquireSessionLock(on connection: PostgresConnection, waiting: @Sendable () -> Void) async throws -> Int? {
        var announced = false
        var failures = 0
        while true {
            do {
                let locked = try await connection.query("SELECT pg_try_advisory_lock(hashtext('trainer.session')) AS locked, pg_backend_pid() AS pid")
                if let row = locked.first, try row.decode("locked", as: Bool.self) { return try row.decode("pid", as: Int.self) }
                if !announced { waiting() }
                announced = true
                failures = 0
            } catch {
                // Nothing is held yet: waiting out a short outage costs nothing.
                guard error.isConnectionError, failures < 5 else { throw error }
                failures += 1
            }
            if Task.isShuttingDownGracefully { throw SessionLockInterrupted() }
            try await Task.sleep(for: .milliseconds(200) * (1 << failures))
        }
    }

    struct SessionLockInterrupted: Error, CustomStringConvertible {
        var description: String { "shutting down while another replica's training session held the lock" }
    }

    struct SessionLockLost: Error, CustomStringConvertible {
        var description: String { "the training session lock was lost (its PostgreSQL connection dropped); the session will run again" }
    }

    /// Registers the session's models (new versions), the examples each used and the session
    /// report in one transaction; returns the announcements to publish.
    func register(session: TrainingSession, records: [ModelRecord], evaluations: [TrainingSession.TrainedModel]) async throws -> [ModelTrained] {
        let now = Date()
        return try await pool.transaction { connection in
            var session = session
            var announcements: [ModelTrained] = []
            for (record, trained) in zip(records, evaluations) {
                let kind = record.kind.rawValue
                // Serialises version numbers of one kind across replicas.
                try connection.query("SELECT pg_advisory_xact_lock(hashtext('trainer.models.' || $1))", kind)
                let version = try connection.query("SELECT coalesce(max(version), 0) + 1 AS v FROM trainer.models WHERE kind = $1", kind)
                    .first!.decode("v", as: Int.self)
                let announcement = ModelTrained(
                    kind: record.kind, modelVersion: version, featureVersion: record.featureVersion, classes: record.classes,
                    trainCount: record.trainCount, validationCount: record.validationCount, accuracy: record.accuracy,
                    balancedAccuracy: record.balancedAccuracy, macroF1: record.macroF1, requestId: session.requestId, trainedAt: now)
                try connection.query(
                    """
                    INSERT INTO trainer.models (kind, version, feature_version, request_id, announcement, evaluation, artifact, reference)
                    VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8::jsonb)
                    """,
                    kind, version, record.featureVersion, session.requestId, PostgresJSON(announcement), record.evaluation, record.artifact,
                    PostgresJSON({ var reference = record.reference; reference.model = announcement.modelId; return reference }()))
                let roles = Array(repeating: "train", count: record.train.count) + Array(repeating: "validation", count: record.validation.count)
                let used = record.train + record.validation
                if ModelKind.spectra.contains(record.kind) {
                    try connection.query(
                        "INSERT INTO trainer.trained_spectra (kind, version, obsid, role) SELECT $1, $2, unnest($3::bigint[]), unnest($4::text[])",
                        kind, version, "{" + used.joined(separator: ",") + "}", "{" + roles.joined(separator: ",") + "}")
                } else {
                    try connection.query(
                        "INSERT INTO trainer.trained_articles (kind, version, article_id, role) SELECT $1, $2, unnest($3::text[]), unnest($4::text[])",
                        kind, version, PostgresTextArray(used), "{" + roles.joined(separator: ",") + "}")
                }
                announcements.append(announcement)
                var trained = trained
                trained.model = announcement.modelId
                session.models.append(trained)
            }
            session.finishedAt = now
            try connection.query(
                "INSERT INTO trainer.sessions (request_id, report) VALUES ($1, $2::jsonb)", session.requestId, PostgresJSON(session))
            return announcements
        }
    }


    /// An artifact's JSON, keys sorted so that the same model is the same text.
    static func encodeArtifact(_ model: TabularClassifier) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(model), as: UTF8.self)
    }

    /// The announcements of an already finished session (a redelivered request).
    func announcements(requestId: String) async throws -> [ModelTrained]? {
        guard try await pool.query("SELECT 1 FROM trainer.sessions WHERE request_id = $1", requestId).first != nil else { return nil }
        return try await pool.query("SELECT announcement FROM trainer.models WHERE request_id = $1 ORDER BY kind", requestId)
            .map { try $0.decode("announcement", as: PostgresJSON<ModelTrained>.self).value }
    }

    func models() async throws -> [ModelTrained] {
        try await pool.query("SELECT announcement FROM trainer.models ORDER BY kind, version")
            .map { try $0.decode("announcement", as: PostgresJSON<ModelTrained>.self).value }
    }

    func latest(_ kind: ModelKind) async throws -> ModelTrained? {
        try await pool.query("SELECT announcement FROM trainer.models WHERE kind = $1 ORDER BY version DESC LIMIT 1", kind.rawValue)
            .first?.decode("announcement", as: PostgresJSON<ModelTrained>.self).value
    }

    func reference(_ kind: ModelKind, version: Int) async throws -> ReferenceProfile? {
        try await pool.query("SELECT reference FROM trainer.models WHERE kind = $1 AND version = $2 AND reference IS NOT NULL", kind.rawValue, version)
            .first?.decode("reference", as: PostgresJSON<ReferenceProfile>.self).value
    }

    /// The evaluation as stored (a spectra or a text model's), JSON text.
    func evaluationJSON(_ kind: ModelKind, version: Int) async throws -> String? {
        try await pool.query("SELECT evaluation::text AS e FROM trainer.models WHERE kind = $1 AND version = $2", kind.rawValue, version)
            .first?.decode("e", as: String.self)
    }

    /// The artifact's JSON text, served as is.
    func artifact(_ kind: ModelKind, version: Int) async throws -> String? {
        try await pool.query("SELECT artifact FROM trainer.models WHERE kind = $1 AND version = $2", kind.rawValue, version)
            .first?.decode("artifact", as: String.self)
    }

    struct UsedSpectrum: Codable, Sendable {
        var obsid: Int
        var role: String
    }

    func trainedSpectra(_ kind: ModelKind, version: Int) async throws -> [UsedSpectrum] {
        try await pool.query("SELECT obsid, role FROM trainer.trained_spectra WHERE kind = $1 AND version = $2 ORDER BY obsid", kind.rawValue, version)
            .map { UsedSpectrum(obsid: try $0.decode("obsid"), role: try $0.decode("role")) }
    }

    struct UsedArticle: Codable, Sendable {
        var id: String
        var role: String
    }

    func trainedArticles(_ kind: ModelKind, version: Int) async throws -> [UsedArticle] {
        try await pool.query(
            "SELECT article_id, role FROM trainer.trained_articles WHERE kind = $1 AND version = $2 ORDER BY article_id", kind.rawValue, version
        ).map { UsedArticle(id: try $0.decode("article_id"), role: try $0.decode("role")) }
    }

    func session(requestId: String?) async throws -> TrainingSession? {
        let rows = if let requestId {
            try await pool.query("SELECT report FROM trainer.sessions WHERE request_id = $1", requestId)
        } else {
            try await pool.query("SELECT report FROM trainer.sessions ORDER BY finished_at DESC LIMIT 1")
        }
        return try rows.first?.decode("report", as: PostgresJSON<TrainingSession>.self).value
    }

    func labelledCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await pool.query("SELECT class, count(*) AS n FROM trainer.spectra GROUP BY class") {
            counts[try row.decode("class", as: String.self)] = try row.decode("n", as: Int.self)
        }
        return counts
    }
}
