import Arxiv
import Foundation
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

    @Test("real abstracts' sentences: not after et al. or i.e., not inside $…$ math or braces; a stray $ does not stop splitting")
    func realSentences() {
        // From the shared corpus (astro-ph/9307026, alg-geom/9410006), and math holding a stop.
        #expect(TextRank.sentences(
            "The model fits the surface brightness profile of NGC 6397 of Lauzeral et al. (1992). The profile is well fitted.") == [
            "The model fits the surface brightness profile of NGC 6397 of Lauzeral et al. (1992).", "The profile is well fitted.",
        ])
        #expect(TextRank.sentences("To construct the examples, we use abelian covers, i.e. Galois covers whose group is abelian. We prove two results.") == [
            "To construct the examples, we use abelian covers, i.e. Galois covers whose group is abelian.", "We prove two results.",
        ])
        #expect(TextRank.sentences("We find $M < 2. M_\\odot$ here. See \\emph{Sect. 3. Then} and Fig.\n 2. The end.") == [
            "We find $M < 2. M_\\odot$ here.", "See \\emph{Sect. 3. Then} and Fig. 2.", "The end.",
        ])
        #expect(TextRank.sentences("It costs $5 here. Then it ends.") == ["It costs $5 here.", "Then it ends."])
        #expect(TextRank.sentences("Cases \\(n. A\\) hold. Others do.") == ["Cases \\(n. A\\) hold.", "Others do."])
        #expect(TextRank.sentences("An open \\(math here. Then one. And two.") == ["An open \\(math here.", "Then one.", "And two."])
    }

    @Test("on 3,000 real abstracts: sentences joined are the abstract (nothing lost, no stop inside a number, markup kept), math and braces are never cut, no sentence ends on et al., Fig., e.g., i.e. or cf.")
    func realAbstracts() async throws {
        let path = Fixtures.arxivCorpus.path
        let (abstracts, split, summaries) = try await offThePool { () throws -> ([String], [[String]], [String]) in
            var reader = try ArxivMetadataFile.LineReader(path: path)
            var abstracts: [String] = []
            while abstracts.count < 3000, let (_, line) = try reader.next() {
                if let entry = try? ArxivMetadataReader().entry(line) { abstracts.append(entry.summary) }
            }
            return (abstracts, abstracts.map { TextRank.sentences($0) }, abstracts.map { TextRank.summarize($0, sentences: 2) })
        }
        #expect(abstracts.count == 3000)
        var sentenceCount = 0, endsOnStop = 0
        for (abstract, sentences) in zip(abstracts, split) {
            sentenceCount += sentences.count
            #expect(sentences.joined(separator: " ") == abstract.split(whereSeparator: \.isWhitespace).joined(separator: " "), "\(abstract)")
            let balanced = Self.dollars(abstract) % 2 == 0
            for sentence in sentences.dropLast() {
                if balanced { #expect(Self.dollars(sentence) % 2 == 0, "math cut in: \(sentence)") }
                let last = sentence.split(separator: " ").last.map(String.init) ?? ""
                #expect(!["al.", "Fig.", "Figs.", "e.g.", "i.e.", "cf.", "Eq."].contains(last), "ends on an abbreviation: \(sentence)")
                if let stop = sentence.last(where: { !"\"')]".contains($0) }), ".!?".contains(stop) { endsOnStop += 1 }
            }
        }
        // It does split: real abstracts average five to ten sentences, and a sentence that is not the last ends on a stop.
        let perAbstract = Double(sentenceCount) / Double(abstracts.count)
        #expect(perAbstract > 4 && perAbstract < 12, "\(perAbstract) sentences per abstract")
        #expect(endsOnStop == sentenceCount - abstracts.count)
        for (summary, (abstract, all)) in zip(summaries, zip(abstracts, split)) {
            let chosen = TextRank.sentences(summary)
            #expect(chosen.count == min(2, all.count) && chosen.allSatisfy(all.contains), "\(summary)")
        }
    }

    /// Unescaped dollar signs, `$$` counted once.
    static func dollars(_ text: String) -> Int {
        var count = 0, escaped = false, previousDollar = false
        for character in text {
            if character == "$", !escaped, !previousDollar { count += 1; previousDollar = true } else { previousDollar = character == "$" && previousDollar }
            escaped = character == "\\" && !escaped
        }
        return count
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
