import Foundation
import Learning
import Testing

@Suite("Text models: TF-IDF, naive Bayes and logistic regression")
struct TextModelTests {
    @Test("TF-IDF: 1- and 2-grams of content words, smoothed idf as scikit-learn, rows of unit length")
    func vectorizer() throws {
        let vectorizer = TextVectorizer.fit(["The star and the galaxy.", "A star of dust.", "Galaxy"], minDocumentFrequency: 1)
        #expect(vectorizer.terms == ["dust", "galaxy", "star", "star dust", "star galaxy"])
        let star = try #require(vectorizer.terms.firstIndex(of: "star"))
        #expect(abs(Double(vectorizer.idf[star]) - (log(4.0 / 3.0) + 1)) < 1e-6)
        let row = vectorizer.transform("star star galaxy nebula")
        #expect(row.indices.map { vectorizer.terms[Int($0)] } == ["galaxy", "star", "star galaxy"])
        #expect(abs(row.values.reduce(0) { $0 + $1 * $1 } - 1) < 1e-6)
        #expect(abs(vectorizer.outOfVocabularyRate("star nebula") - 0.5) < 1e-12)
        let decoded = try JSONDecoder().decode(TextVectorizer.self, from: JSONEncoder().encode(vectorizer))
        #expect(decoded == vectorizer && decoded.transform("dust galaxy") == vectorizer.transform("dust galaxy"))
    }

    static let documents: [(String, Int)] = (0..<60).map { i in
        i % 2 == 0
            ? ("stellar spectra of red giants and white dwarfs \(i % 7 == 0 ? "with neural networks" : "")", 0)
            : ("neural networks trained by gradient descent \(i % 5 == 0 ? "on stellar spectra" : "")", 1)
    }

    @Test("naive Bayes and logistic regression separate two topics; the regression repeats itself with a seed")
    func models() throws {
        let vectorizer = TextVectorizer.fit(Self.documents.map(\.0))
        let rows = Self.documents.map { vectorizer.transform($0.0) }
        let labels = Self.documents.map(\.1)
        let bayes = NaiveBayes(rows, labels: labels, classCount: 2, featureCount: vectorizer.featureCount)
        let regression = LogisticRegression(rows, labels: labels, classCount: 2, featureCount: vectorizer.featureCount)
        for model in [TextClassifier(vectorizer: vectorizer, classes: ["astro", "ml"], model: .naiveBayes(bayes)),
                      TextClassifier(vectorizer: vectorizer, classes: ["astro", "ml"], model: .logisticRegression(regression))] {
            #expect(model.top(1, "spectra of white dwarfs").first?.label == "astro", "\(model.model.name)")
            #expect(model.top(1, "gradient descent for networks").first?.label == "ml", "\(model.model.name)")
            #expect(abs(model.probabilities("red giants").reduce(0, +) - 1) < 1e-9)
        }
        #expect(LogisticRegression(rows, labels: labels, classCount: 2, featureCount: vectorizer.featureCount) == regression)
    }
}
