import Foundation
import Learning
import Testing

@Suite("Decision offsets: per-class thresholds fitted for macro-F1 on examples the model did not learn from")
struct DecisionOffsetsTests {
    /// Three classes; class 2 is rare and its examples score just below class 0's.
    static func scores() -> (scores: [[Double]], truth: [Int]) {
        var scores: [[Double]] = [], truth: [Int] = []
        for i in 0..<90 {
            truth.append(i % 2)
            scores.append(i % 2 == 0 ? [1, 0, 0.2] : [0, 1, 0.1])
        }
        for _ in 0..<10 {
            truth.append(2)
            scores.append([1, 0, 0.8])
        }
        return (scores, truth)
    }

    @Test("a rare class scored just below a common one is let win over it by the smallest step of the grid; the third class stays at 0")
    func rareClassWins() {
        let (scores, truth) = Self.scores()
        let offsets = DecisionOffsets.fit(scores: scores, truth: truth, classCount: 3)
        // Class 2 beats class 0 on its own examples once its offset exceeds class 0's by more than
        // 0.2, and must stay under 0.8 not to take class 0's: lowering 0 or raising 2 both do it.
        #expect(offsets[2] - offsets[0] > 0.2 && offsets[2] - offsets[0] < 0.8, "\(offsets)")
        #expect(abs(offsets[0]) + abs(offsets[2]) == 0.25 && offsets[1] == 0, "the nearest-to-zero offsets among equally good ones: \(offsets)")
        func predicted(_ offsets: [Double]) -> [Int] {
            scores.map { row in row.indices.max { row[$0] + offsets[$0] < row[$1] + offsets[$1] }! }
        }
        #expect(predicted(offsets) == truth, "every example right once class 2 may win")
    }

    @Test("offsets averaged over bootstrap resamples still let the rare class win, and repeat themselves with a seed")
    func bagged() {
        let (scores, truth) = Self.scores()
        let parameters = DecisionOffsets.Parameters(bags: 4, seed: 7)
        let offsets = DecisionOffsets.fitBagged(scores: scores, truth: truth, classCount: 3, parameters: parameters)
        #expect(offsets[2] - offsets[0] > 0.2 && offsets[2] - offsets[0] < 0.8, "\(offsets)")
        #expect(DecisionOffsets.fitBagged(scores: scores, truth: truth, classCount: 3, parameters: parameters) == offsets)
    }

    @Test("nothing to fit on (no rows) or a gain below the minimum leaves every offset at 0")
    func nothingToGain() {
        #expect(DecisionOffsets.fit(scores: [], truth: [], classCount: 4) == [0, 0, 0, 0])
        let (scores, truth) = Self.scores()
        let strict = DecisionOffsets.Parameters(minimumGain: 1)
        #expect(DecisionOffsets.fit(scores: scores, truth: truth, classCount: 3, parameters: strict) == [0, 0, 0])
    }

    @Test("fit-and-transform on two threads gives the vocabulary and rows of a one-thread fit then transform, tokenising each document once")
    func fitTransformMatchesFitThenTransform() {
        let documents = (0..<101).map { i in
            TextDocument(title: "Paper \(i % 13) on dark matter", body: "We measure \(["halos", "galaxies", "spectra", "quasars"][i % 4]) with \(i % 3 == 0 ? "neural networks" : "kinematics") in sample \(i % 17).")
        }
        for separateTitle in [false, true] {
            for maxFeatures in [nil, 25] as [Int?] {
                let fitted = TextVectorizer.fit(documents, maxFeatures: maxFeatures, separateTitle: separateTitle, threads: 1)
                let (vectorizer, rows) = TextVectorizer.fitTransform(documents, maxFeatures: maxFeatures, separateTitle: separateTitle, threads: 2)
                #expect(vectorizer == fitted)
                #expect(rows == documents.map(fitted.transform))
            }
        }
    }

    @Test("a paper's words outside the vocabulary, once each, in order, stop words left out, with the share of its words that miss")
    func unknownWords() {
        let vectorizer = TextVectorizer.fit([TextDocument("dark matter halos"), TextDocument("dark matter stars")])
        let misses = vectorizer.misses("The LLM agents of the dark LLM matter with agents")
        #expect(misses.words == ["llm", "agents"] && misses.rate == 4.0 / 6.0, "\(misses)")
        #expect(vectorizer.outOfVocabularyRate("The LLM agents of the dark LLM matter with agents") == misses.rate)
        #expect(vectorizer.misses("a b c d e f", keeping: 2).words == ["b", "c"])
    }
}
