import Learning
import Testing

@Suite("TextRank: sentences, ranking and extractive summaries")
struct TextRankTests {
    @Test("sentences end at . ! ? before a capital or a digit, not after e.g., et al., Fig. or an initial, nor inside 2.17")
    func sentences() {
        let text = "We use e.g. the G band of A. Smith et al. in 2.17 K helium. Fig. 3 shows it. Results are robust! 42 stars remain"
        #expect(TextRank.sentences(text) == [
            "We use e.g. the G band of A. Smith et al. in 2.17 K helium.", "Fig. 3 shows it.", "Results are robust!", "42 stars remain",
        ])
    }

    @Test("the central sentences win, the off-topic one never does, and the summary keeps the original order")
    func ranking() {
        let text = """
            Spectroscopic surveys measure stellar spectra of millions of stars. \
            Our pipeline classifies stellar spectra from spectroscopic surveys with line features. \
            The weather was pleasant during the conference dinner. \
            Line features of stellar spectra separate hot and cool stars in surveys. \
            We release the classified spectra.
            """
        let summary = TextRank.summarize(text, sentences: 2)
        #expect(!summary.contains("weather"))
        let all = TextRank.sentences(text)
        let chosen = TextRank.sentences(summary)
        #expect(chosen.count == 2 && chosen.allSatisfy(all.contains))
        #expect(chosen.map { all.firstIndex(of: $0)! } == chosen.map { all.firstIndex(of: $0)! }.sorted())
        let scores = TextRank.scores(all)
        #expect(scores[2] == scores.min())
        #expect(abs(scores[2] - 0.15) < 1e-12)  // isolated: only the damping's share
    }

    @Test("a short abstract is its own summary; words drop LaTeX commands and stop words")
    func edges() {
        #expect(TextRank.summarize("Only one sentence here.", sentences: 2) == "Only one sentence here.")
        #expect(Tokenizer.words("The X-ray flux of $\\alpha$ Cen's corona") == ["the", "x-ray", "flux", "of", "cen", "corona"])
        #expect(Tokenizer.contentWords("The X-ray flux of the corona") == ["x-ray", "flux", "corona"])
    }
}
