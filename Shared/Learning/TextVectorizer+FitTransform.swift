import Foundation
import Synchronization

extension TextVectorizer {
    /// `fit(documents)` and the training rows, the same as `fit` then `transform` of each, with
    /// each document tokenised once (fitting then transforming read every text twice) and the
    /// work spread over `threads`: documents are tokenised in contiguous shares, and grams are
    /// counted in shards by hash, so no thread's counts need merging into another's.
    public static func fitTransform(
        _ documents: [TextDocument], minDocumentFrequency: Int = 2, maxFeatures: Int? = nil, separateTitle: Bool = false, threads: Int = 2
    ) -> (vectorizer: TextVectorizer, rows: [SparseVector]) {
        let threads = max(1, min(threads, documents.count))
        let grams = sortedGrams(documents, separateTitle: separateTitle, threads: threads)
        let vectorizer = vocabulary(grams, minDocumentFrequency: minDocumentFrequency, maxFeatures: maxFeatures, separateTitle: separateTitle, threads: threads)
        let rows = Mutex([SparseVector](repeating: SparseVector(), count: documents.count))
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let share = Self.share(part, of: threads, count: documents.count)
            let local = share.map { vectorizer.row(sortedGrams: grams[$0]) }
            rows.withLock { all in
                for (offset, row) in local.enumerated() { all[share.lowerBound + offset] = row }
            }
        }
        return (vectorizer, rows.withLock { $0 })
    }

    /// Each document's grams, sorted: equal grams are adjacent, so a run is a term frequency.
    static func sortedGrams(_ documents: [TextDocument], separateTitle: Bool, threads: Int) -> [[UInt64]] {
        let threads = max(1, min(threads, documents.count))
        let grams = Mutex([[UInt64]](repeating: [], count: documents.count))
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let share = Self.share(part, of: threads, count: documents.count)
            var local: [[UInt64]] = []
            local.reserveCapacity(share.count)
            var buffer: [UInt64] = []
            for d in share {
                Self.grams(documents[d], separateTitle: separateTitle, into: &buffer)
                buffer.sort()
                local.append(buffer)
            }
            grams.withLock { all in
                for (offset, document) in local.enumerated() { all[share.lowerBound + offset] = document }
            }
        }
        return grams.withLock { $0 }
    }

    /// The vocabulary of the documents whose sorted grams are `grams`: document frequencies
    /// counted in `threads` shards by hash (shard `t` holds the grams whose bits select it).
    static func vocabulary(
        _ grams: [[UInt64]], minDocumentFrequency: Int, maxFeatures: Int?, separateTitle: Bool, threads: Int
    ) -> TextVectorizer {
        let threads = max(1, threads)
        let kept = Mutex([(hash: UInt64, df: Int32)]())
        DispatchQueue.concurrentPerform(iterations: threads) { shard in
            var frequency: [UInt64: Int32] = [:]
            frequency.reserveCapacity(grams.count * 64 / threads)
            for document in grams {
                var previous: UInt64? = nil
                for gram in document where gram != previous {
                    previous = gram
                    guard Self.shard(of: gram, among: threads) == shard else { continue }
                    frequency[gram, default: 0] += 1
                }
            }
            let mine = frequency.filter { $0.value >= minDocumentFrequency }.map { (hash: $0.key, df: $0.value) }
            kept.withLock { $0.append(contentsOf: mine) }
        }
        return vocabulary(kept.withLock { $0 }, documentCount: grams.count, maxFeatures: maxFeatures, separateTitle: separateTitle)
    }

    /// Part `part` of `threads` contiguous shares of `count` items.
    private static func share(_ part: Int, of threads: Int, count: Int) -> Range<Int> {
        (count * part / threads)..<(count * (part + 1) / threads)
    }

    private static func shard(of gram: UInt64, among threads: Int) -> Int {
        Int((gram >> 32) % UInt64(threads))
    }

    /// The vocabulary of grams kept by document frequency (the `maxFeatures` most frequent), by hash.
    static func vocabulary(_ counted: [(hash: UInt64, df: Int32)], documentCount: Int, maxFeatures: Int?, separateTitle: Bool) -> TextVectorizer {
        var kept = counted
        if let maxFeatures, kept.count > maxFeatures {
            kept.sort { $0.df > $1.df || ($0.df == $1.df && $0.hash < $1.hash) }
            kept.removeLast(kept.count - maxFeatures)
        }
        kept.sort { $0.hash < $1.hash }
        let n = Float(documentCount)
        return TextVectorizer(hashes: kept.map(\.hash), idf: kept.map { log((1 + n) / (1 + Float($0.df))) + 1 }, separateTitle: separateTitle)
    }
}
