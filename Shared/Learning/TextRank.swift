import Foundation

/// Extractive summaries: sentences ranked by TextRank (Mihalcea & Tarau 2004) — PageRank over
/// a graph whose edges weigh the content words two sentences share, normalised by their
/// lengths — and the best ones returned in their original order.
public enum TextRank {
    /// Splits prose into sentences at `.`, `!` or `?` followed by white space and a capital or
    /// a digit, but not after common abbreviations (`e.g.`, `et al.`, `Fig.`) or initials.
    public static func sentences(_ text: String) -> [String] {
        let characters = Array(text)
        var sentences: [String] = []
        var start = 0
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "." || character == "!" || character == "?" {
                var next = index + 1
                while next < characters.count, characters[next] == "\"" || characters[next] == ")" { next += 1 }
                let boundary = next >= characters.count
                    || (characters[next].isWhitespace && nextStartsSentence(characters, from: next) && !isAbbreviation(characters, at: index))
                if boundary {
                    let sentence = String(characters[start..<min(next, characters.count)]).trimmingCharacters(in: .whitespacesAndNewlines)
                    if !sentence.isEmpty { sentences.append(sentence) }
                    start = next
                }
                index = next
                continue
            }
            index += 1
        }
        let rest = String(characters[min(start, characters.count)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { sentences.append(rest) }
        return sentences
    }

    private static func nextStartsSentence(_ characters: [Character], from index: Int) -> Bool {
        var next = index
        while next < characters.count, characters[next].isWhitespace { next += 1 }
        guard next < characters.count else { return true }
        return characters[next].isUppercase || characters[next].isNumber || characters[next] == "(" || characters[next] == "$"
    }

    private static let abbreviations: Set<String> = ["e.g", "i.e", "al", "fig", "figs", "eq", "eqs", "ref", "refs", "sec", "vs", "cf", "approx", "resp", "dr", "prof", "no"]

    private static func isAbbreviation(_ characters: [Character], at period: Int) -> Bool {
        var start = period
        while start > 0, !characters[start - 1].isWhitespace, characters[start - 1] != "(" { start -= 1 }
        let word = String(characters[start..<period]).lowercased()
        return abbreviations.contains(word) || (word.count == 1 && word.first!.isLetter)
    }

    /// TextRank score of each sentence; a sentence sharing no content word with any other keeps 1 − damping.
    public static func scores(_ sentences: [String], damping: Double = 0.85, iterations: Int = 50) -> [Double] {
        let words = sentences.map { Set(Tokenizer.contentWords($0)) }
        let n = sentences.count
        guard n > 1 else { return Array(repeating: 1, count: n) }
        var weights = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in (i + 1)..<n where words[i].count > 1 && words[j].count > 1 {
                let shared = Double(words[i].intersection(words[j]).count)
                let weight = shared / (log(Double(words[i].count)) + log(Double(words[j].count)))
                (weights[i][j], weights[j][i]) = (weight, weight)
            }
        }
        let outgoing = weights.map { $0.reduce(0, +) }
        var score = [Double](repeating: 1, count: n)
        for _ in 0..<iterations {
            var next = [Double](repeating: 1 - damping, count: n)
            for i in 0..<n {
                for j in 0..<n where weights[j][i] > 0 && outgoing[j] > 0 {
                    next[i] += damping * weights[j][i] / outgoing[j] * score[j]
                }
            }
            let change = zip(next, score).map { abs($0 - $1) }.max() ?? 0
            score = next
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
}
