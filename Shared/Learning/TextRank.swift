import Foundation

/// Extractive summaries: sentences ranked by TextRank (Mihalcea & Tarau 2004) — PageRank over
/// a graph whose edges weigh the content words two sentences share, normalised by their
/// lengths — and the best ones returned in their original order.
///
/// Written for real abstracts: sentences are found by `SentenceSplitter` (not inside `$…$`
/// math or braces, not after `et al.`, `Fig.`, `e.g.`), and words are compared as the
/// tokenizer's 64-bit hashes in sorted arrays, not as sets of strings, which made ranking
/// most of a summary's time.
public enum TextRank {
    /// The sentences of `text`, whitespace collapsed, markup (LaTeX included) kept as written.
    public static func sentences(_ text: String) -> [String] {
        SentenceSplitter.sentences(text)
    }

    /// TextRank score of each sentence; a sentence sharing no content word with any other keeps 1 − damping.
    public static func scores(_ sentences: [String], damping: Double = 0.85, iterations: Int = 50) -> [Double] {
        let n = sentences.count
        guard n > 1 else { return Array(repeating: 1, count: n) }
        let words = sentences.map(contentWordHashes)
        var weights = [Double](repeating: 0, count: n * n)
        for i in 0..<n where words[i].count > 1 {
            for j in (i + 1)..<n where words[j].count > 1 {
                let shared = sharedCount(words[i], words[j])
                guard shared > 0 else { continue }
                let weight = Double(shared) / (log(Double(words[i].count)) + log(Double(words[j].count)))
                weights[i * n + j] = weight
                weights[j * n + i] = weight
            }
        }
        var outgoing = [Double](repeating: 0, count: n)
        for j in 0..<n { for i in 0..<n { outgoing[j] += weights[j * n + i] } }
        var score = [Double](repeating: 1, count: n)
        var next = score
        for _ in 0..<iterations {
            var change = 0.0
            for i in 0..<n {
                var sum = 1 - damping
                for j in 0..<n where outgoing[j] > 0 {
                    let weight = weights[j * n + i]
                    if weight > 0 { sum += damping * weight / outgoing[j] * score[j] }
                }
                next[i] = sum
                change = max(change, abs(sum - score[i]))
            }
            swap(&score, &next)
            if change < 1e-9 { break }
        }
        return score
    }

    /// The `count` best sentences in their original order (ties: the earlier sentence).
    public static func summarize(_ text: String, sentences count: Int = 2) -> String {
        let all = sentences(text)
        guard all.count > count else { return all.joined(separator: " ") }
        let score = scores(all)
        let chosen = all.indices.sorted { score[$0] > score[$1] || (score[$0] == score[$1] && $0 < $1) }.prefix(count).sorted()
        return chosen.map { all[$0] }.joined(separator: " ")
    }

    /// The distinct content words of a sentence as sorted hashes (stop words left out).
    static func contentWordHashes(_ sentence: String) -> [UInt64] {
        var hashes: [UInt64] = []
        Tokenizer.forEachWord(sentence) { word in
            let hash = GramHash.word(word)
            if !GramHash.stopWords.contains(hash) { hashes.append(hash) }
        }
        hashes.sort()
        var unique = 0
        for index in hashes.indices where index == 0 || hashes[index] != hashes[unique - 1] {
            hashes[unique] = hashes[index]
            unique += 1
        }
        hashes.removeLast(hashes.count - unique)
        return hashes
    }

    /// How many values two sorted arrays of distinct values share.
    static func sharedCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        var (i, j, shared) = (0, 0, 0)
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return shared
    }
}
