import Foundation
import Learning

/// Plausible arXiv abstracts: sentences built from the category's topic words, its archive's
/// words, generic research prose, and now and then a neighbour's topic, with category shares
/// drifting over time (machine learning grows) and some papers revised into a second version.
struct AbstractGenerator {
    var random: SeededGenerator

    struct Paper {
        var id: String
        var version: Int
        var title: String
        var summary: String
        var primaryCategory: String
        var categories: [String]
        var published: Date
        var updated: Date
        var authors: [String]
    }

    static let openings = [
        "We present %1 of %2.", "We study %1 using %2.", "In this work we investigate %1 and %2.",
        "We report new %1 based on %2.", "This paper introduces %1 for %2.", "We analyse %1 in the context of %2.",
    ]
    static let middles = [
        "Our %1 combines %2 with %3.", "Using %1, we measure %2 across %3.", "We find that %1 strongly affects %2.",
        "The %1 reveals a correlation between %2 and %3.", "Compared with previous %1, our %2 improves %3.",
        "We show that %1 can be explained by %2.", "A detailed comparison of %1 and %2 is given.",
    ]
    static let closings = [
        "These results have implications for %1.", "Our findings open new directions for %1 and %2.",
        "We discuss the consequences for %1.", "The code and %1 are made publicly available.",
    ]
    static let names = ["A. Martin", "B. Chen", "C. Okafor", "D. Novak", "E. Silva", "F. Tanaka", "G. Müller", "H. Rossi", "I. Haddad", "J. Kowalski"]

    mutating func paper(number: Int, of count: Int, start: Date, days: Double) -> [Paper] {
        let progress = Double(number) / Double(max(1, count - 1))
        let category = pickCategory(progress: progress)
        let archive = String(category.prefix { $0 != "." })
        let own = Vocabulary.categories[category]!
        let shared = Vocabulary.archives[archive] ?? Vocabulary.archives[String(archive.prefix { $0 != "-" })] ?? []
        var neighbours: [String] = []
        for (other, words) in Vocabulary.categories.sorted(by: { $0.key < $1.key }) where other != category {
            if other.hasPrefix(archive) || random.chance(0.3) { neighbours += words }
        }
        if neighbours.isEmpty { neighbours = Vocabulary.generic }
        func term() -> String {
            let roll = random.uniform()
            if roll < 0.22 { return random.pick(own) }
            if roll < 0.40 { return random.pick(shared.isEmpty ? Vocabulary.generic : shared) }
            if roll < 0.70 { return random.pick(Vocabulary.generic) }
            return random.pick(neighbours)
        }
        func fill(_ template: String) -> String {
            var sentence = template
            for slot in ["%1", "%2", "%3"] { sentence = sentence.replacingOccurrences(of: slot, with: term()) }
            return sentence
        }
        var sentences = [fill(random.pick(Self.openings))]
        for _ in 0..<random.int(1...4) { sentences.append(fill(random.pick(Self.middles))) }
        sentences.append(fill(random.pick(Self.closings)))
        let title = [term(), "and", term(), "in", random.pick(own)].joined(separator: " ").capitalizedFirst
        let published = start.addingTimeInterval(progress * days * 86_400 + random.uniform() * 3_600)
        let id = String(format: "%02d%02d.%05d", 24 + Int(progress * 2) % 100, 1 + Int(progress * 11.99), number + 1)
        var categories = [category]
        if random.chance(0.3) { categories.append(random.pick(Array(Vocabulary.categories.keys).sorted())) }
        let authors = (0..<random.int(1...5)).map { _ in random.pick(Self.names) }
        var papers = [Paper(
            id: id, version: 1, title: title, summary: sentences.joined(separator: " "), primaryCategory: category,
            categories: Array(NSOrderedSet(array: categories)) as! [String], published: published, updated: published, authors: authors)]
        if random.chance(0.1) {
            var revised = papers[0]
            revised.version = 2
            revised.updated = published.addingTimeInterval(random.uniform() * 30 * 86_400 + 3_600)
            revised.summary += " " + fill(random.pick(Self.closings))
            papers.append(revised)
        }
        return papers
    }

    /// Category shares move over the period: machine learning grows, the rest shrinks a little.
    mutating func pickCategory(progress: Double) -> String {
        let names = Vocabulary.weights.keys.sorted()
        let weights = names.map { name in
            let base = Vocabulary.weights[name]!
            return name.hasPrefix("cs.") || name == "stat.ML" ? base * (0.7 + 0.6 * progress) : base
        }
        var roll = random.uniform() * weights.reduce(0, +)
        for (name, weight) in zip(names, weights) {
            roll -= weight
            if roll <= 0 { return name }
        }
        return names.last!
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}

extension SeededGenerator {
    mutating func uniform() -> Double { Double.random(in: 0..<1, using: &self) }
    mutating func chance(_ p: Double) -> Bool { uniform() < p }
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func pick<T>(_ values: [T]) -> T { values.randomElement(using: &self)! }
}
