import Arxiv
import Contracts
import Testing

@Suite("arXiv's taxonomy: the names a paper is listed under today")
struct ArxivTaxonomyTests {
    @Test("a retired archive's category is the one that subsumed it, its archive that category's archive")
    func subsumedArchives() {
        #expect(ArxivTaxonomy.current(category: "alg-geom") == "math.AG")
        #expect(ArxivTaxonomy.current(category: "cmp-lg") == "cs.CL")
        #expect(ArxivTaxonomy.current(category: "mtrl-th") == "cond-mat.mtrl-sci")
        #expect(ArxivTaxonomy.currentArchive(of: "solv-int") == "nlin")
        #expect(ArxivTaxonomy.currentArchive(of: "chem-ph") == "physics")
    }

    @Test("a bare legacy astro-ph or cond-mat paper keeps its archive but has no current category")
    func bareLegacyPrimaries() {
        #expect(ArxivTaxonomy.current(category: "astro-ph") == nil)
        #expect(ArxivTaxonomy.current(category: "cond-mat") == nil)
        #expect(ArxivTaxonomy.currentArchive(of: "astro-ph") == "astro-ph")
        #expect(ArxivTaxonomy.currentArchive(of: "cond-mat") == "cond-mat")
    }

    @Test("current categories are themselves")
    func currentCategories() {
        for category in ["astro-ph.GA", "hep-th", "math.AG", "cs.LG", "quant-ph", "econ.EM"] {
            #expect(ArxivTaxonomy.current(category: category) == category)
            #expect(ArxivTaxonomy.currentArchive(of: category) == ArxivEntry.archive(of: category))
        }
    }

    @Test("live accuracy scores a prediction by today's names: math.AG is right for an alg-geom paper")
    func scoring() {
        let message = ArxivClassified(
            id: "alg-geom/9410006", version: 1, archive: .init(top: [.init(label: "math", probability: 0.9)], model: "arxiv-archive@1"),
            category: .init(top: [.init(label: "math.AG", probability: 0.8)], model: "arxiv-category@1"), trueCategory: "alg-geom", words: 120,
            outOfVocabulary: 0.1)
        #expect(message.archiveCorrect == true && message.categoryCorrect == true)
        #expect(ArxivTaxonomy.isCorrect(predicted: "astro-ph.GA", recorded: "astro-ph") == false)
        #expect(ArxivTaxonomy.isCorrect(predicted: "astro-ph.GA", recorded: "astro-ph.GA"))
        #expect(ArxivTaxonomy.isCorrect(predictedArchive: "astro-ph", recorded: "astro-ph"))
    }
}
