import Contracts
import Foundation
import Testing
@testable import trainer

@Suite("Cross-lists: a paper is about the classes it is cross-listed to without being theirs")
struct CrossListTests {
    static let paper = LabelledText(
        id: "math/9501001", title: "Moduli of curves", abstract: "We study moduli.", primaryCategory: "math.AG",
        crossLists: ["alg-geom", "hep-th", "math.CO", "math-ph"], published: Date(timeIntervalSince1970: 0))

    @Test("by today's names, less the paper's own: a retired archive's successor is the primary itself")
    func labels() {
        #expect(Self.paper.crossListedLabels(for: .arxivCategory) == ["hep-th", "math.CO", "math-ph"])
        // math.CO and alg-geom (now math.AG) are in the paper's own archive.
        #expect(Self.paper.crossListedLabels(for: .arxivArchive) == ["hep-th", "math-ph"])
    }

    @Test("papers cross-listed to a class are left out of its machine rather than counted against it: it scores them higher than when they are its negatives, and still tells the primaries apart")
    func trainsLeavingThemOut() throws {
        // Two topics; every third paper is cross-listed to the other and a third of its words are the other's.
        let words = [["galaxy", "cluster", "redshift", "halo", "lensing", "baryon"], ["quark", "gluon", "collider", "jet", "hadron", "boson"]]
        let categories = ["astro-ph.CO", "hep-ph"]
        var papers: [LabelledText] = []
        for i in 0..<300 {
            let c = i % 2
            let crossListed = i % 3 == 0
            let text = (0..<12).map { k in words[crossListed && k % 3 == 0 ? 1 - c : c][(k * 5 + i) % 6] }.joined(separator: " ")
            papers.append(LabelledText(
                id: "p\(i)", title: words[c][i % 6], abstract: text, primaryCategory: categories[c],
                crossLists: crossListed ? [categories[1 - c]] : [], published: Date(timeIntervalSince1970: Double(i) * 86_400)))
        }
        func margins(leavingOut: Bool) throws -> (crossListed: Double, accuracy: Double) {
            var trainer = TextTrainer()
            trainer.leavesOutCrossLists = leavingOut
            trainer.decisionOffsets = nil
            let result = try trainer.train(.arxivCategory, on: papers)
            guard case let .linearSVM(machines) = result.model.model else { throw TestFailure(text: "registered \(result.model.model.name), not the machines") }
            let hep = try #require(result.model.classes.firstIndex(of: "hep-ph"))
            let astro = papers.filter { $0.primaryCategory == "astro-ph.CO" && !$0.crossLists.isEmpty }
            let mean = astro.map { machines.margins(result.model.vectorizer.transform($0.document))[hep] }.reduce(0, +) / Double(astro.count)
            return (mean, result.evaluation.linearSVM?.accuracy ?? 0)
        }
        let (left, counted) = (try margins(leavingOut: true), try margins(leavingOut: false))
        #expect(left.crossListed > counted.crossListed + 0.05, "hep-ph's mean margin on astro-ph.CO papers cross-listed to it: \(left.crossListed) left out, \(counted.crossListed) as negatives")
        #expect(left.accuracy == 1 && counted.accuracy == 1)
    }
}
