/// A trained text classifier, ready to serve: its TF-IDF vocabulary, its classes and one of
/// the two models.
public struct TextClassifier: Codable, Sendable, Equatable {
    public enum Model: Codable, Sendable, Equatable {
        case naiveBayes(NaiveBayes)
        case logisticRegression(LogisticRegression)
        case linearSVM(LinearSVM)

        public var name: String {
            switch self {
            case .naiveBayes: "naive-bayes"
            case .logisticRegression: "logistic-regression"
            case .linearSVM: "linear-svm"
            }
        }
    }

    public var vectorizer: TextVectorizer
    public var classes: [String]
    public var model: Model

    public init(vectorizer: TextVectorizer, classes: [String], model: Model) {
        (self.vectorizer, self.classes, self.model) = (vectorizer, classes, model)
    }

    public func probabilities(_ row: SparseVector) -> [Double] {
        switch model {
        case let .naiveBayes(model): model.probabilities(row)
        case let .logisticRegression(model): model.probabilities(row)
        case let .linearSVM(model): model.probabilities(row)
        }
    }

    public func probabilities(_ document: TextDocument) -> [Double] {
        probabilities(vectorizer.transform(document))
    }

    /// A text with no title.
    public func probabilities(_ text: String) -> [Double] {
        probabilities(TextDocument(text))
    }

    /// The `k` most probable classes, best first.
    public func top(_ k: Int, _ text: String) -> [(label: String, probability: Double)] {
        top(k, TextDocument(text))
    }

    public func top(_ k: Int, _ document: TextDocument) -> [(label: String, probability: Double)] {
        let p = probabilities(document)
        return p.indices.sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }.prefix(k).map { (classes[$0], p[$0]) }
    }
}
