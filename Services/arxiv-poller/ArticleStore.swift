import Arxiv
import Foundation
import Postgres
import ServiceKit

/// The poller's own schema: articles, their versions, authors and categories, relationally;
/// and the watermark of each query (the newest `updated` it has fully walked down from).
struct ArticleStore: Sendable {
    let pool: PostgresPool

    static let migrator = SchemaMigrator(schema: "arxiv", migrations: [
        .idempotencyLedger(schema: "arxiv"),
        Migration(version: 2, name: "articles, versions, authors, categories, watermarks", statements: [
            """
            CREATE TABLE arxiv.articles (
                id text PRIMARY KEY,
                first_published timestamptz NOT NULL,
                latest_version integer NOT NULL,
                primary_category text NOT NULL,
                title text NOT NULL,
                first_seen timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE arxiv.versions (
                id text NOT NULL REFERENCES arxiv.articles,
                version integer NOT NULL,
                title text NOT NULL,
                summary text NOT NULL,
                published timestamptz NOT NULL,
                updated timestamptz NOT NULL,
                primary_category text NOT NULL,
                doi text,
                comment text,
                journal_ref text,
                links jsonb NOT NULL,
                entry jsonb NOT NULL,
                seen_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (id, version))
            """,
            "CREATE INDEX versions_updated ON arxiv.versions (updated)",
            """
            CREATE TABLE arxiv.authors (
                id text NOT NULL,
                version integer NOT NULL,
                position integer NOT NULL,
                name text NOT NULL,
                affiliations text[] NOT NULL,
                PRIMARY KEY (id, version, position),
                FOREIGN KEY (id, version) REFERENCES arxiv.versions)
            """,
            "CREATE INDEX authors_name ON arxiv.authors (name)",
            """
            CREATE TABLE arxiv.categories (
                id text NOT NULL,
                version integer NOT NULL,
                category text NOT NULL,
                is_primary boolean NOT NULL,
                PRIMARY KEY (id, version, category),
                FOREIGN KEY (id, version) REFERENCES arxiv.versions)
            """,
            "CREATE INDEX categories_category ON arxiv.categories (category)",
            "CREATE TABLE arxiv.watermarks (query text PRIMARY KEY, updated timestamptz NOT NULL, polled_at timestamptz NOT NULL DEFAULT now())",
        ]),
    ])

    enum Outcome: Equatable {
        /// Already stored: nothing to announce.
        case known
        case newArticle
        case newVersion
    }

    /// Stores a version with its authors and categories in one transaction, deduplicated by
    /// id + version.
    func save(_ entry: ArxivEntry) async throws -> Outcome {
        let links = PostgresJSON(entry.links), document = PostgresJSON(entry)
        return try await pool.transaction { connection in
            let existing = try connection.query("SELECT latest_version FROM arxiv.articles WHERE id = $1 FOR UPDATE", entry.id).first
            try connection.query(
                "INSERT INTO arxiv.articles (id, first_published, latest_version, primary_category, title) VALUES ($1, $2, $3, $4, $5) "
                    + Self.keepNewestArticle,
                entry.id, Self.timestamp(entry.published), entry.version, entry.primaryCategory, entry.title)
            let version = try connection.query(
                """
                INSERT INTO arxiv.versions (id, version, title, summary, published, updated, primary_category, doi, comment, journal_ref, links, entry)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb) ON CONFLICT (id, version) DO NOTHING
                """,
                entry.id, entry.version, entry.title, entry.summary, Self.timestamp(entry.published), Self.timestamp(entry.updated),
                entry.primaryCategory, entry.doi, entry.comment, entry.journalRef, links, document)
            guard version.affectedRows == 1 else { return .known }
            for (position, author) in entry.authors.enumerated() {
                try connection.query(
                    "INSERT INTO arxiv.authors (id, version, position, name, affiliations) VALUES ($1, $2, $3, $4, $5::text[])",
                    entry.id, entry.version, position, author.name, PostgresTextArray(author.affiliations))
            }
            for category in entry.categories {
                try connection.query(
                    "INSERT INTO arxiv.categories (id, version, category, is_primary) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    entry.id, entry.version, category, category == entry.primaryCategory)
            }
            return existing == nil ? .newArticle : .newVersion
        }
    }

    func watermark(_ query: String) async throws -> Date? {
        guard let row = try await pool.query("SELECT extract(epoch FROM updated)::float8 AS t FROM arxiv.watermarks WHERE query = $1", query).first
        else { return nil }
        return Date(timeIntervalSince1970: try row.decode("t", as: Double.self))
    }

    /// Moves the watermark forward only.
    func advanceWatermark(_ query: String, to date: Date) async throws {
        try await pool.query(
            """
            INSERT INTO arxiv.watermarks (query, updated) VALUES ($1, $2) ON CONFLICT (query) DO UPDATE
            SET updated = greatest(arxiv.watermarks.updated, EXCLUDED.updated), polled_at = now()
            """, query, Self.timestamp(date))
    }

    struct Counts: Codable, Sendable {
        var articles: Int
        var versions: Int
        var authors: Int
    }

    func counts() async throws -> Counts {
        let row = try await pool.query(
            "SELECT (SELECT count(*) FROM arxiv.articles) AS a, (SELECT count(*) FROM arxiv.versions) AS v, (SELECT count(DISTINCT name) FROM arxiv.authors) AS n"
        ).first!
        return Counts(articles: try row.decode("a"), versions: try row.decode("v"), authors: try row.decode("n"))
    }

    func entry(id: String) async throws -> ArxivEntry? {
        try await pool.query("SELECT entry FROM arxiv.versions WHERE id = $1 ORDER BY version DESC LIMIT 1", id)
            .first?.decode("entry", as: PostgresJSON<ArxivEntry>.self).value
    }

    /// An article row keeps its newest version's category and title, whichever arrives first.
    static let keepNewestArticle = """
        ON CONFLICT (id) DO UPDATE SET
            latest_version = greatest(arxiv.articles.latest_version, EXCLUDED.latest_version),
            primary_category = CASE WHEN EXCLUDED.latest_version >= arxiv.articles.latest_version
                THEN EXCLUDED.primary_category ELSE arxiv.articles.primary_category END,
            title = CASE WHEN EXCLUDED.latest_version >= arxiv.articles.latest_version
                THEN EXCLUDED.title ELSE arxiv.articles.title END,
            updated_at = now()
        """

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

}
