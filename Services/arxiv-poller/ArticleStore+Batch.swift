import Arxiv
import Foundation
import Postgres

extension ArticleStore {
    /// Stores many versions in one transaction of four statements, each inserting every row
    /// from one JSON document (`jsonb_to_recordset`): a page of 1,000 OAI records costs four
    /// round trips instead of seven per record. Versions already stored are left as they are.
    func saveAll(_ entries: [ArxivEntry]) async throws {
        guard !entries.isEmpty else { return }
        // One article row per paper (its newest version here): an upsert may not touch a row twice.
        var newest: [String: ArxivEntry] = [:]
        for entry in entries where (newest[entry.id]?.version ?? 0) < entry.version { newest[entry.id] = entry }
        let articles = PostgresJSON(newest.values.sorted { $0.id < $1.id }.map(ArticleRow.init))
        let versions = PostgresJSON(entries.map(VersionRow.init))
        let authors = PostgresJSON(entries.flatMap { entry in
            entry.authors.enumerated().map { AuthorRow(id: entry.id, version: entry.version, position: $0.offset, name: $0.element.name, affiliations: $0.element.affiliations) }
        })
        let categories = PostgresJSON(entries.flatMap { entry in
            Set(entry.categories).sorted().map { CategoryRow(id: entry.id, version: entry.version, category: $0, is_primary: $0 == entry.primaryCategory) }
        })
        try await pool.transaction { connection in
            try connection.query(
                """
                INSERT INTO arxiv.articles (id, first_published, latest_version, primary_category, title)
                SELECT id, published, version, primary_category, title
                FROM jsonb_to_recordset($1::jsonb) AS r(id text, published timestamptz, version integer, primary_category text, title text)
                """ + " " + ArticleStore.keepNewestArticle, articles)
            try connection.query(
                """
                INSERT INTO arxiv.versions (id, version, title, summary, published, updated, primary_category, doi, comment, journal_ref, links, entry)
                SELECT id, version, title, summary, published, updated, primary_category, doi, comment, journal_ref, links, entry
                FROM jsonb_to_recordset($1::jsonb) AS r(
                    id text, version integer, title text, summary text, published timestamptz, updated timestamptz,
                    primary_category text, doi text, comment text, journal_ref text, links jsonb, entry jsonb)
                ON CONFLICT (id, version) DO NOTHING
                """, versions)
            try connection.query(
                """
                INSERT INTO arxiv.authors (id, version, position, name, affiliations)
                SELECT id, version, position, name, affiliations
                FROM jsonb_to_recordset($1::jsonb) AS r(id text, version integer, position integer, name text, affiliations text[])
                ON CONFLICT DO NOTHING
                """, authors)
            try connection.query(
                """
                INSERT INTO arxiv.categories (id, version, category, is_primary)
                SELECT id, version, category, is_primary
                FROM jsonb_to_recordset($1::jsonb) AS r(id text, version integer, category text, is_primary boolean)
                ON CONFLICT DO NOTHING
                """, categories)
        }
    }
}

private struct ArticleRow: Codable, Sendable {
    var id: String, published: String, version: Int, primary_category: String, title: String

    init(_ entry: ArxivEntry) {
        (id, published, version) = (entry.id, ArticleStore.timestamp(entry.published), entry.version)
        (primary_category, title) = (entry.primaryCategory, entry.title)
    }
}

private struct VersionRow: Codable, Sendable {
    var id: String, version: Int, title: String, summary: String, published: String, updated: String, primary_category: String
    var doi: String?, comment: String?, journal_ref: String?
    var links: [ArxivEntry.Link]
    /// Encoded as `save` encodes it (`PostgresJSON`'s defaults), so `entry(id:)` reads both alike.
    var entry: ArxivEntry

    init(_ entry: ArxivEntry) {
        (id, version, title, summary) = (entry.id, entry.version, entry.title, entry.summary)
        (published, updated) = (ArticleStore.timestamp(entry.published), ArticleStore.timestamp(entry.updated))
        (primary_category, doi, comment, journal_ref, links) = (entry.primaryCategory, entry.doi, entry.comment, entry.journalRef, entry.links)
        self.entry = entry
    }
}

private struct AuthorRow: Codable, Sendable {
    var id: String, version: Int, position: Int, name: String, affiliations: [String]
}

private struct CategoryRow: Codable, Sendable {
    var id: String, version: Int, category: String, is_primary: Bool
}
