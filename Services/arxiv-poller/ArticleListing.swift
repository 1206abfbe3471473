import Foundation
import Hummingbird
import Postgres

/// `GET /api/arxiv/articles`: stored papers in id order (a stable cursor), filtered by category
/// (a category or a whole archive, `astro-ph`, cross-lists to either included), first-submission day
/// range, and words in the latest version's title or abstract.
struct ArticleListing: Sendable {
    let pool: PostgresPool

    struct Item: Codable, Sendable {
        var id: String
        var latestVersion: Int
        var primaryCategory: String
        var title: String
        var firstPublished: Date
        enum CodingKeys: String, CodingKey {
            case id, latestVersion = "latest_version", primaryCategory = "primary_category", title, firstPublished = "first_published"
        }
    }

    struct Page: Codable, Sendable {
        var items: [Item]
        var nextCursor: String?
        enum CodingKeys: String, CodingKey { case items, nextCursor = "next_cursor" }
    }

    func page(_ request: Request) async throws -> Page {
        let query = request.uri.queryParameters
        let limit = try query.get("limit").map { text in
            guard let value = Int(text), (1...500).contains(value) else { throw HTTPError(.badRequest, message: "limit must be from 1 to 500") }
            return value
        } ?? 50
        let from = try query.get("from").map(Self.day)
        let until = try query.get("until").map(Self.day)
        // ILIKE's wildcards in the user's words are literal characters.
        let text = query.get("q").map { words in
            "%" + words.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        let category: String? = query.get("category")
        let cursor: String? = query.get("cursor")
        let rows = try await pool.query(
            """
            SELECT a.id, a.latest_version, a.primary_category, a.title, extract(epoch FROM a.first_published)::float8 AS published
            FROM arxiv.articles a
            WHERE ($1::text IS NULL OR a.primary_category = $1 OR a.primary_category LIKE $1 || '.%'
                   OR EXISTS (SELECT 1 FROM arxiv.categories c WHERE c.id = a.id AND c.version = a.latest_version
                                   AND (c.category = $1 OR c.category LIKE $1 || '.%')))
              AND ($2::timestamptz IS NULL OR a.first_published >= $2::timestamptz)
              AND ($3::timestamptz IS NULL OR a.first_published < $3::timestamptz + interval '1 day')
              AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM arxiv.versions v WHERE v.id = a.id AND v.version = a.latest_version
                                                AND (v.title ILIKE $4 OR v.summary ILIKE $4)))
              AND ($5::text IS NULL OR a.id > $5)
            ORDER BY a.id LIMIT $6
            """,
            category, from, until, text, cursor, limit + 1)
        let items = try rows.prefix(limit).map { row in
            Item(
                id: try row.decode("id"), latestVersion: try row.decode("latest_version"), primaryCategory: try row.decode("primary_category"),
                title: try row.decode("title"), firstPublished: Date(timeIntervalSince1970: try row.decode("published", as: Double.self)))
        }
        return Page(items: items, nextCursor: rows.count > limit ? items.last?.id : nil)
    }

    /// `YYYY-MM-DD` as the midnight UTC timestamp PostgreSQL reads.
    static func day(_ text: String) throws -> String {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), parts[0].count == 4 else {
            throw HTTPError(.badRequest, message: "dates are YYYY-MM-DD, not '\(text)'")
        }
        return "\(text)T00:00:00Z"
    }
}
