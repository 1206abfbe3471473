import Arxiv
import Contracts
import Foundation
import Postgres
import Streams

/// Takes in many papers at once (an OAI-PMH page, a chunk of an import): finds which versions
/// are already stored with one query, announces the others on `arxiv.articles` in one pipelined
/// round trip, then stores them. Announcing first means a crash between the two announces
/// those papers again on the next run — consumers deduplicate by id and version — instead of
/// leaving them stored and never announced.
struct ArticleIntake: Sendable {
    let store: ArticleStore
    let producer: StreamProducer

    struct Counts: Sendable, Equatable {
        var newArticles = 0
        var newVersions = 0
        var known = 0
    }

    func take(_ entries: [ArxivEntry], source: String, trace: String) async throws -> Counts {
        var counts = Counts()
        var stored = try await store.knownVersions(ids: Array(Set(entries.map(\.id))))
        var fresh: [ArxivArticle] = []
        for entry in entries {
            if stored[entry.id]?.contains(entry.version) == true {
                counts.known += 1
                continue
            }
            let isNewVersion = stored[entry.id] != nil
            stored[entry.id, default: []].insert(entry.version)
            if isNewVersion { counts.newVersions += 1 } else { counts.newArticles += 1 }
            fresh.append(ArxivArticle(entry: entry, isNewVersion: isNewVersion, source: source))
        }
        try await producer.publish(batch: fresh, trace: trace)
        try await store.saveAll(fresh.map(\.entry))
        return counts
    }
}

extension ArticleStore {
    /// The stored versions of each of these papers (absent: none stored).
    func knownVersions(ids: [String]) async throws -> [String: Set<Int>] {
        guard !ids.isEmpty else { return [:] }
        var known: [String: Set<Int>] = [:]
        for row in try await pool.query("SELECT id, version FROM arxiv.versions WHERE id = ANY($1::text[])", PostgresTextArray(ids)) {
            known[try row.decode("id", as: String.self), default: []].insert(try row.decode("version", as: Int.self))
        }
        return known
    }
}
