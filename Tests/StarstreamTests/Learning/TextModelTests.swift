import Foundation
import Learning
import Testing

@Suite("Text models: hashed TF-IDF, naive Bayes, logistic regression and linear SVMs")
struct TextModelTests {
    @Test("TF-IDF: 1- and 2-grams of content words, smoothed idf as scikit-learn, rows of unit length")
    func vectorizer() throws {
        let documents = ["The star and the galaxy.", "A star of dust.", "Galaxy"].map { TextDocument($0) }
        let vectorizer = TextVectorizer.fit(documents, minDocumentFrequency: 1)
        func terms(_ features: some Sequence<Int32>) -> Set<String> {
            let names = Dictionary(uniqueKeysWithValues: ["dust", "galaxy", "star", "star dust", "star galaxy", "nebula"].map { (GramHash.term($0), $0) })
            return Set(features.map { names[vectorizer.hashes[Int($0)]] ?? "?" })
        }
        #expect(terms(Int32(0)..<Int32(vectorizer.featureCount)) == ["dust", "galaxy", "star", "star dust", "star galaxy"])
        let star = try #require(vectorizer.hashes.firstIndex(of: GramHash.term("star")))
        #expect(abs(Double(vectorizer.idf[star]) - (log(4.0 / 3.0) + 1)) < 1e-6)
        let row = vectorizer.transform("star star galaxy nebula")
        #expect(terms(row.indices) == ["galaxy", "star", "star galaxy"] && row.indices == row.indices.sorted())
        #expect(abs(row.values.reduce(0) { $0 + $1 * $1 } - 1) < 1e-6)
        // star: tf 2 → (1 + ln 2)·idf before scaling; galaxy: tf 1.
        let starValue = row.values[row.indices.firstIndex(of: Int32(star))!]
        let galaxy = vectorizer.hashes.firstIndex(of: GramHash.term("galaxy"))!
        let galaxyValue = row.values[row.indices.firstIndex(of: Int32(galaxy))!]
        #expect(abs(Double(starValue / galaxyValue) - (1 + log(2.0)) * Double(vectorizer.idf[star] / vectorizer.idf[galaxy])) < 1e-5)
        #expect(abs(vectorizer.outOfVocabularyRate("star nebula") - 0.5) < 1e-12)
        let decoded = try JSONDecoder().decode(TextVectorizer.self, from: JSONEncoder().encode(vectorizer))
        #expect(decoded == vectorizer && decoded.transform("dust galaxy") == vectorizer.transform("dust galaxy"))
    }

    @Test("a vocabulary stored as terms (the first layout) keeps their order: feature i is still terms[i], as its model's weights expect")
    func termsLayout() throws {
        let terms = ["dust", "star", "star dust"]
        let json = #"{"terms": ["dust", "star", "star dust"], "idf": "\#(PackedFloatsFixture.base64([1.5, 1.0, 2.0]))"}"#
        let old = try JSONDecoder().decode(TextVectorizer.self, from: Data(json.utf8))
        #expect(old.hashes == terms.map(GramHash.term) && old.idf == [1.5, 1.0, 2.0])
        #expect(old.transform("star").indices == [1] && old.transform("dust").indices == [0] && old.transform("star dust").indices == [0, 1, 2])
        let reread = try JSONDecoder().decode(TextVectorizer.self, from: JSONEncoder().encode(old))
        #expect(reread == old && reread.transform("A star of dust") == old.transform("A star of dust"))
    }

    @Test("with separate titles, a title's grams are features apart from the abstract's")
    func separateTitles() {
        let documents = [TextDocument(title: "Dark matter halos", body: "We simulate halos."), TextDocument(title: "Halos", body: "Dark matter.")]
        let vectorizer = TextVectorizer.fit(documents, minDocumentFrequency: 1, separateTitle: true)
        #expect(Set(vectorizer.hashes) == Set(["t:dark", "t:matter", "t:halos", "t:dark matter", "t:matter halos", "simulate", "halos", "simulate halos", "dark", "matter", "dark matter"].map(GramHash.term)))
        let joined = TextVectorizer.fit(documents, minDocumentFrequency: 1)
        // Joined, the title runs into the abstract: "halos simulate" is a gram.
        #expect(joined.hashes.contains(GramHash.term("halos simulate")) && !joined.hashes.contains(GramHash.term("t:halos")))
    }

    @Test("the tokenizer lowercases, keeps inner hyphens, drops possessives, LaTeX commands and numbers alone; reads non-ASCII letters")
    func tokenizer() {
        #expect(Tokenizer.words("The X-ray flux of $\\alpha$ Cen's corona, 2019 — Schrödinger’s cat’s ΛCDM") == ["the", "x-ray", "flux", "of", "cen", "corona", "schrödinger", "cat", "λcdm"])
    }

    static let documents: [(String, Int)] = (0..<60).map { i in
        i % 2 == 0
            ? ("stellar spectra of red giants and white dwarfs \(i % 7 == 0 ? "with neural networks" : "")", 0)
            : ("neural networks trained by gradient descent \(i % 5 == 0 ? "on stellar spectra" : "")", 1)
    }

    @Test("naive Bayes and logistic regression separate two topics; the regression repeats itself with a seed")
    func models() throws {
        let vectorizer = TextVectorizer.fit(Self.documents.map { TextDocument($0.0) })
        let rows = Self.documents.map { vectorizer.transform($0.0) }
        let labels = Self.documents.map(\.1)
        let bayes = NaiveBayes(rows, labels: labels, classCount: 2, featureCount: vectorizer.featureCount)
        let regression = LogisticRegression(rows, labels: labels, classCount: 2, featureCount: vectorizer.featureCount)
        var machines = LinearSVM(rows, labels: labels, classCount: 2, featureCount: vectorizer.featureCount)
        machines.calibrate(rows, labels: labels)
        for model in [TextClassifier(vectorizer: vectorizer, classes: ["astro", "ml"], model: .naiveBayes(bayes)),
                      TextClassifier(vectorizer: vectorizer, classes: ["astro", "ml"], model: .logisticRegression(regression)),
                      TextClassifier(vectorizer: vectorizer, classes: ["astro", "ml"], model: .linearSVM(machines))] {
            #expect(model.top(1, "spectra of white dwarfs").first?.label == "astro", "\(model.model.name)")
            #expect(model.top(1, "gradient descent for networks").first?.label == "ml", "\(model.model.name)")
            #expect(abs(model.probabilities("red giants").reduce(0, +) - 1) < 1e-9)
        }
        #expect(LogisticRegression(rows, labels: labels, classCount: 2, featureCount: vectorizer.featureCount) == regression)
        // Fitted in parallel, one class per thread, the machines are the same on every run.
        var again = LinearSVM(rows, labels: labels, classCount: 2, featureCount: vectorizer.featureCount)
        again.calibrate(rows, labels: labels)
        #expect(again == machines)
        // Separable topics: every training margin is on the right side, and a confident scale is chosen.
        #expect(zip(rows, labels).allSatisfy { row, label in ClassificationReport.argmax(machines.margins(row)) == label })
        #expect(machines.scale > 1)
    }

    @Test("on a small symmetric problem the one-vs-rest machines separate the classes and mirror each other")
    func machinesOptimum() throws {
        // Four points, two per class, placed symmetrically: the optimum of one class's machine is
        // the mirror image of the other's, which a solver stopped early would not give.
        let rows = [[0.9, 0.1], [0.7, 0.3], [0.3, 0.7], [0.1, 0.9]].map { SparseVector(indices: [0, 1], values: $0.map(Float.init)) }
        let machines = LinearSVM(rows, labels: [0, 0, 1, 1], classCount: 2, featureCount: 2,
                                 parameters: .init(cost: 1, maxEpochs: 10_000, tolerance: 1e-5))
        for (row, label) in zip(rows, [0, 0, 1, 1]) {
            let margins = machines.margins(row)
            #expect(margins[label] > 0 && margins[1 - label] < 0)
        }
        // Symmetric data: the two machines mirror each other.
        let first = machines.margins(rows[0]), last = machines.margins(rows[3])
        #expect(abs(first[0] - last[1]) < 1e-3 && abs(first[1] - last[0]) < 1e-3)
    }

    /// `count` rows of three features in three classes, each row's own class's feature larger
    /// but the classes overlapping.
    static func overlappingClasses(_ count: Int, seed: UInt64) -> (rows: [SparseVector], labels: [Int]) {
        var generator = SeededGenerator(seed: seed)
        var rows: [SparseVector] = [], labels: [Int] = []
        for _ in 0..<count {
            let label = Int.random(in: 0..<3, using: &generator)
            let values = (0..<3).map { Float(($0 == label ? 1.0 : 0.3) + Double.random(in: 0..<0.8, using: &generator)) }
            rows.append(SparseVector(indices: [0, 1, 2], values: values))
            labels.append(label)
        }
        return (rows, labels)
    }

    @Test("calibrated machines, refitted from the first fit's dual solution, reach the optimum a fit from nothing reaches, with the scale fitted on the newest rows by a first fit stopped at a looser tolerance")
    func warmStart() throws {
        // Overlapping classes, so that many examples keep α > 0 and the warm start carries them.
        let (rows, labels) = Self.overlappingClasses(400, seed: 7)
        let tight = LinearSVM.Parameters(cost: 1, maxEpochs: 5_000, tolerance: 1e-4)
        let calibrated = LinearSVM.calibrated(rows, labels: labels, classCount: 3, featureCount: 3, parameters: tight, calibrationFraction: 0.2)
        let cold = LinearSVM(rows, labels: labels, classCount: 3, featureCount: 3, parameters: tight)
        for (a, b) in zip(calibrated.weights.values, cold.weights.values) { #expect(abs(a - b) < 2e-3, "\(a) vs \(b)") }
        for (a, b) in zip(calibrated.bias, cold.bias) { #expect(abs(a - b) < 2e-3, "\(a) vs \(b)") }
        // The scale is the one a first fit on the older rows gives, stopped at the calibration's looser ε.
        var calibrating = tight
        calibrating.tolerance = 1.0
        var first = LinearSVM(Array(rows[..<320]), labels: Array(labels[..<320]), classCount: 3, featureCount: 3, parameters: calibrating)
        first.calibrate(Array(rows[320...]), labels: Array(labels[320...]))
        #expect(calibrated.scale == first.scale && calibrated.scale != 1)
    }

    @Test("a row left out of one class's machine is neither its positive nor its negative: that machine is the one fitted without the row, and the other classes' still learn from it")
    func leftOutRows() throws {
        let (rows, labels) = Self.overlappingClasses(300, seed: 11)
        // Rows of class 0 "cross-listed" to class 1, and one of class 1 itself (a positive stays one).
        let crossListed = labels.indices.filter { labels[$0] == 0 }.prefix(40).map(Int32.init)
        let ownPositive = Int32(try #require(labels.firstIndex(of: 1)))
        let tight = LinearSVM.Parameters(cost: 1, maxEpochs: 5_000, tolerance: 1e-4)
        let leaving = LinearSVM(rows, labels: labels, classCount: 3, featureCount: 3, parameters: tight, leftOut: [[], crossListed + [ownPositive], []])
        let everyRow = LinearSVM(rows, labels: labels, classCount: 3, featureCount: 3, parameters: tight)
        let kept = rows.indices.filter { !crossListed.contains(Int32($0)) }
        let withoutThem = LinearSVM(kept.map { rows[$0] }, labels: kept.map { labels[$0] }, classCount: 3, featureCount: 3, parameters: tight)
        func machine(_ m: LinearSVM, _ c: Int) -> [Double] { (0..<3).map { Double(m.weights.values[$0 * 3 + c]) } + [m.bias[c]] }
        for (a, b) in zip(machine(leaving, 1), machine(withoutThem, 1)) { #expect(abs(a - b) < 2e-3, "class 1: \(a) vs \(b)") }
        #expect(zip(machine(leaving, 1), machine(everyRow, 1)).contains { abs($0 - $1) > 1e-2 }, "leaving the rows out changed nothing")
        for c in [0, 2] {
            for (a, b) in zip(machine(leaving, c), machine(everyRow, c)) { #expect(abs(a - b) < 2e-3, "class \(c): \(a) vs \(b)") }
        }
    }
}

enum PackedFloatsFixture {
    static func base64(_ values: [Float]) -> String {
        values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }.base64EncodedString()
    }
}
