import Arxiv
import Contracts
import Foundation
import Learning

/// A paper as the text models see it: title and abstract, labelled with its primary category.
struct LabelledText: Sendable {
    var id: String
    var document: TextDocument
    var primaryCategory: String
    /// The categories the paper is cross-listed to besides its primary (arXiv's `categories`
    /// after the first), as recorded.
    var crossLists: [String]
    var published: Date

    /// "title. abstract": what the word counts and the exported comparison read.
    var text: String { document.title.isEmpty ? document.body : document.title + ". " + document.body }

    init(_ entry: ArxivEntry) {
        id = entry.id
        document = TextDocument(title: entry.title, body: entry.summary)
        primaryCategory = entry.primaryCategory
        crossLists = entry.categories.filter { $0 != entry.primaryCategory }
        published = entry.published
    }

    init(id: String, title: String, abstract: String, primaryCategory: String, crossLists: [String] = [], published: Date) {
        (self.id, document, self.primaryCategory, self.crossLists, self.published) =
            (id, TextDocument(title: title, body: abstract), primaryCategory, crossLists, published)
    }

    /// The label as arXiv would list the paper today (`ArxivTaxonomy`): a retired archive's
    /// papers teach the category that subsumed it, and a bare legacy `astro-ph` or `cond-mat`
    /// paper teaches its archive but no category, so no model predicts what no new paper can get.
    func label(for kind: ModelKind) -> String? {
        Self.label(of: primaryCategory, for: kind)
    }

    /// The labels of `kind` the paper is cross-listed to, other than its own, by today's names.
    func crossListedLabels(for kind: ModelKind) -> Set<String> {
        var labels = Set(crossLists.compactMap { Self.label(of: $0, for: kind) })
        if let own = label(for: kind) { labels.remove(own) }
        return labels
    }

    private static func label(of category: String, for kind: ModelKind) -> String? {
        switch kind {
        case .arxivArchive: ArxivTaxonomy.currentArchive(of: category)
        case .arxivCategory: ArxivTaxonomy.current(category: category)
        case .spectraClass, .spectraMK: nil
        }
    }
}

/// Trains a text classifier of the primary category (archive or full category): held out by
/// time (the newest `validationFraction` of papers by first publication), TF-IDF fitted on
/// the training part only, naive Bayes and linear SVMs (and, when asked, logistic regression)
/// fitted and measured; the best by held-out macro-F1 is the model.
struct TextTrainer: Sendable {
    var validationFraction = 0.2
    var minClassSupport = 5
    /// nil: every gram in at least two training papers. 100,000 keeps a category model near
    /// 70 MB; scikit-learn's best on the corpus used all 954,894 and did no better.
    var maxFeatures: Int? = 100_000
    var separateTitle = true
    var regression = LogisticRegression.Parameters()
    /// C 0.25: as good as 0.5 with per-class offsets on the corpus (category macro-F1 0.436
    /// both, offsets fitted once), a sixth faster; C 1 did worse (0.424).
    var svm = LinearSVM.Parameters(cost: 0.25)
    /// Kinds whose machines weight examples by the inverse of their class's size. Both, now that
    /// retired archives train their successors (`ArxivTaxonomy`): weighted, they no longer
    /// favour categories no new paper gets, and on the corpus's time split macro-F1 rose with
    /// the offsets (categories 0.463 → 0.475, archives 0.570 → 0.586); before, on the recorded
    /// labels, it fell (categories 0.436 → 0.425).
    var balancedKinds: Set<ModelKind> = [.arxivArchive, .arxivCategory]
    /// The machines' per-class decision offsets, fitted for macro-F1 on the newest training papers
    /// (bagged; nil: none).
    var decisionOffsets: DecisionOffsets.Parameters? = DecisionOffsets.Parameters()
    /// Logistic regression is fitted and measured too (it never won on real papers and costs
    /// a third of a category session), for comparisons.
    var fitsLogisticRegression = false
    /// The newest share of the training papers the machines' probability scale and offsets are fitted on.
    var calibrationFraction = 0.1
    /// A paper cross-listed to a class is left out of that class's machine instead of being one
    /// of its negatives: it is about the class without being one of its papers. On the corpus's
    /// time split (60% of papers are cross-listed): categories top-3 0.710 → 0.730, accuracy
    /// 0.473 → 0.476, macro-F1 0.475 → 0.473; archives accuracy 0.702 → 0.724, top-3 0.906 →
    /// 0.919, macro-F1 0.586 → 0.583; and the machines fit in a sixth less time (fewer negatives).
    var leavesOutCrossLists = true
    /// Years over which a training paper's weight in the machines halves, counted back from the
    /// newest (weights averaging 1); nil: every paper weighs the same. Off: on the corpus's
    /// categories half-lives of 3, 5, 8 and 12 years gave macro-F1 0.472–0.480 against 0.475,
    /// within the spread of reruns.
    var recencyHalfLife: Double? = nil

    /// What the vectorizer reads: the same 1–2-grams, with or without the title's apart.
    var featureVersion: String { separateTitle ? "tfidf-1-2gram-title-v2" : "tfidf-1-2gram-v1" }

    /// Each paper's weight by its age relative to the newest of `dates`, averaging 1.
    func recencyWeights(_ dates: [Date]) -> [Double]? {
        guard let recencyHalfLife, let newest = dates.max() else { return nil }
        let year = 365.25 * 86_400.0
        let raw = dates.map { pow(0.5, newest.timeIntervalSince($0) / year / recencyHalfLife) }
        let mean = raw.reduce(0, +) / Double(raw.count)
        return raw.map { $0 / mean }
    }

    struct Result: Sendable {
        var kind: ModelKind
        var model: TextClassifier
        var evaluation: TextModelEvaluation
        var train: [String]
        var validation: [String]
        var reference: ReferenceProfile
    }

    /// One level's papers, split and labelled: the classes with enough training papers, the
    /// training papers of those classes (oldest first) and the held-out ones.
    struct Split {
        var kind: ModelKind
        var classes: [String]
        var index: [String: Int]
        var counts: [String: Int]
        var usable: [(example: LabelledText, label: String)]
        var validation: [(example: LabelledText, label: String)]
        var heldOutCount: Int
    }

    /// Fits on the older papers and measures on the newest `validationFraction` of them; or, given
    /// `heldOut`, fits on all of `examples` and measures on those.
    func train(_ kind: ModelKind, on examples: [LabelledText], heldOut: [LabelledText]? = nil) throws -> Result {
        try train([kind], on: examples, heldOut: heldOut)[0].outcome.get()
    }

    /// The levels `kinds` on the same papers, each as `train(_:on:heldOut:)` would, with one TF-IDF
    /// vocabulary fitted on every level's training papers (the levels share a time cut, so their
    /// training papers are nearly the same, and tokenising them is a tenth of a session). A level
    /// that cannot be trained (too few classes) fails alone.
    func train(_ kinds: [ModelKind], on examples: [LabelledText], heldOut: [LabelledText]? = nil) -> [(kind: ModelKind, outcome: Swift.Result<Result, any Error>)] {
        let started = ContinuousClock.now
        let splits = kinds.map { kind in (kind, Swift.Result { try split(kind, examples, heldOut: heldOut) }) }
        var seen: Set<String> = [], documents: [TextDocument] = [], position: [String: Int] = [:]
        for case let (_, .success(split)) in splits {
            for item in split.usable where seen.insert(item.example.id).inserted {
                position[item.example.id] = documents.count
                documents.append(item.example.document)
            }
        }
        let (vectorizer, rows) = TextVectorizer.fitTransform(documents, maxFeatures: maxFeatures, separateTitle: separateTitle)
        let vectorized = ContinuousClock.now - started
        return splits.map { kind, outcome in
            (kind, outcome.map { split in
                fit(split, vectorizer: vectorizer, trainRows: split.usable.map { rows[position[$0.example.id]!] }, vectorizing: vectorized)
            })
        }
    }

    /// `kind`'s labels, classes and papers, oldest first; the time cut is taken over every paper,
    /// so that both levels (and papers whose category no longer exists) share one split.
    func split(_ kind: ModelKind, _ examples: [LabelledText], heldOut: [LabelledText]?) throws -> Split {
        func labelled(_ examples: some Sequence<LabelledText>) -> [(example: LabelledText, label: String)] {
            examples.compactMap { example in example.label(for: kind).map { (example, $0) } }
        }
        func chronological(_ examples: [LabelledText]) -> [LabelledText] {
            examples.sorted { a, b in a.published < b.published || (a.published == b.published && a.id < b.id) }
        }
        let ordered = chronological(examples)
        let training: [(example: LabelledText, label: String)], held: [(example: LabelledText, label: String)]
        if let heldOut {
            (training, held) = (labelled(ordered), labelled(chronological(heldOut)))
        } else {
            let cut = Int((Double(ordered.count) * (1 - validationFraction)).rounded())
            (training, held) = (labelled(ordered[..<cut]), labelled(ordered[cut...]))
        }
        var counts: [String: Int] = [:]
        for item in training { counts[item.label, default: 0] += 1 }
        let classes = counts.filter { $0.value >= minClassSupport }.keys.sorted()
        guard classes.count >= 2 else { throw SpectraTrainer.Failure.tooFewClasses(kind, counts: counts) }
        var index: [String: Int] = [:]
        for (position, label) in classes.enumerated() { index[label] = position }
        return Split(
            kind: kind, classes: classes, index: index, counts: counts, usable: training.filter { index[$0.label] != nil },
            validation: held.filter { index[$0.label] != nil }, heldOutCount: held.count)
    }

    /// The level's models on rows of `vectorizer` (fitted in `vectorizing`), measured on its held-out papers.
    func fit(_ split: Split, vectorizer: TextVectorizer, trainRows: [SparseVector], vectorizing: Duration) -> Result {
        let started = ContinuousClock.now - vectorizing
        let (kind, classes, index, counts, usable, validation) = (split.kind, split.classes, split.index, split.counts, split.usable, split.validation)
        let trainLabels = usable.map { index[$0.label]! }
        let validationRows = validation.map { vectorizer.transform($0.example.document) }
        let truth = validation.map { index[$0.label]! }
        let fitted = ContinuousClock.now

        let bayes = TextClassifier(
            vectorizer: vectorizer, classes: classes,
            model: .naiveBayes(NaiveBayes(trainRows, labels: trainLabels, classCount: classes.count, featureCount: vectorizer.featureCount)))
        let bayesDone = ContinuousClock.now
        let regression = !fitsLogisticRegression ? nil : TextClassifier(
            vectorizer: vectorizer, classes: classes,
            model: .logisticRegression(LogisticRegression(
                trainRows, labels: trainLabels, classCount: classes.count, featureCount: vectorizer.featureCount, parameters: self.regression)))
        let regressionDone = ContinuousClock.now
        // The machines' probability scale is fitted on the newest tenth of the training papers by
        // machines that did not see them; the registered machines are then fitted on all of them.
        var svm = self.svm
        svm.balanced = svm.balanced || balancedKinds.contains(kind)
        var leftOut: [[Int32]]? = nil
        if leavesOutCrossLists {
            var rows = [[Int32]](repeating: [], count: classes.count)
            for (row, item) in usable.enumerated() {
                for label in item.example.crossListedLabels(for: kind) { if let c = index[label] { rows[c].append(Int32(row)) } }
            }
            leftOut = rows
        }
        let machines = LinearSVM.calibrated(
            trainRows, labels: trainLabels, classCount: classes.count, featureCount: vectorizer.featureCount, parameters: svm, calibrationFraction: calibrationFraction,
            decisionOffsets: decisionOffsets, leftOut: leftOut, weights: recencyWeights(usable.map(\.example.published)))
        let svmClassifier = TextClassifier(vectorizer: vectorizer, classes: classes, model: .linearSVM(machines))
        let svmDone = ContinuousClock.now
        func report(_ model: TextClassifier) -> ClassificationReport {
            ClassificationReport(labels: classes, truth: truth, probabilities: validationRows.map(model.probabilities))
        }
        let (bayesReport, regressionReport, svmReport) = (report(bayes), regression.map(report), report(svmClassifier))
        let candidates = [regression.flatMap { model in regressionReport.map { (model, $0) } }, (svmClassifier, svmReport), (bayes, bayesReport)].compactMap { $0 }
        let (best, _) = candidates.max { $0.1.macroF1 < $1.1.macroF1 }!
        let evaluation = TextModelEvaluation(
            kind: kind, featureVersion: featureVersion, classes: classes, chosen: best.model.name,
            excludedClasses: counts.filter { $0.value < minClassSupport }, heldOutUnseen: split.heldOutCount - validation.count,
            trainCount: usable.count, validationCount: validation.count, vocabulary: vectorizer.featureCount,
            trainedUntil: usable.last?.example.published, validatedFrom: validation.first?.example.published,
            naiveBayes: bayesReport, logisticRegression: regressionReport, linearSVM: svmReport,
            seconds: .init(
                vectorize: (fitted - started).inSeconds, naiveBayes: (bayesDone - fitted).inSeconds,
                logisticRegression: regression == nil ? nil : (regressionDone - bayesDone).inSeconds, linearSVM: (svmDone - regressionDone).inSeconds,
                total: (ContinuousClock.now - started).inSeconds))
        // The drift reference: lengths and labels of the training papers, vocabulary misses and
        // predictions on the held-out (newer) ones.
        let reference = ReferenceProfile(
            model: kind.rawValue,
            // Sampled before measuring (the sample is by position, so the same papers either way):
            // tokenising every training paper again cost seconds of a session on the corpus.
            numeric: [
                "words": ReferenceProfile.sample(usable).map { Double(Tokenizer.words($0.example.text).count) },
                "out_of_vocabulary": ReferenceProfile.sample(validation).map { vectorizer.outOfVocabularyRate($0.example.document.body) },
            ],
            categorical: [
                "label": ReferenceProfile.sample(usable.map(\.label)),
                "predicted": ReferenceProfile.sample(validationRows).map { classes[ClassificationReport.argmax(best.probabilities($0))] },
            ],
            accuracy: evaluation.chosenReport.accuracy)
        return Result(
            kind: kind, model: best, evaluation: evaluation, train: usable.map { $0.example.id }, validation: validation.map { $0.example.id },
            reference: reference)
    }
}

/// The text model's part of the session report: both models' held-out measures, and which won.
struct TextModelEvaluation: Codable, Sendable {
    struct Seconds: Codable, Sendable {
        /// The TF-IDF fit, shared by the levels trained together (each level's report counts it).
        var vectorize: Double
        var naiveBayes: Double
        /// Absent when it was not fitted.
        var logisticRegression: Double?
        /// Absent from reports written before the machines were fitted.
        var linearSVM: Double?
        var total: Double

        enum CodingKeys: String, CodingKey {
            case vectorize, naiveBayes = "naive_bayes", logisticRegression = "logistic_regression", linearSVM = "linear_svm", total
        }
    }

    var kind: ModelKind
    var featureVersion: String
    var classes: [String]
    /// `naive-bayes`, `logistic-regression` or `linear-svm`: the one registered (best macro-F1).
    var chosen: String
    var excludedClasses: [String: Int]
    /// Held-out papers of classes the training part did not have (not scored).
    var heldOutUnseen: Int
    var trainCount: Int
    var validationCount: Int
    var vocabulary: Int
    var trainedUntil: Date?
    var validatedFrom: Date?
    var naiveBayes: ClassificationReport
    /// Absent when it was not fitted (`TextTrainer.fitsLogisticRegression`).
    var logisticRegression: ClassificationReport?
    var linearSVM: ClassificationReport?
    var seconds: Seconds

    enum CodingKeys: String, CodingKey {
        case kind, featureVersion = "feature_version", classes, chosen, excludedClasses = "excluded_classes", heldOutUnseen = "held_out_unseen",
             trainCount = "train_count", validationCount = "validation_count", vocabulary, trainedUntil = "trained_until",
             validatedFrom = "validated_from", naiveBayes = "naive_bayes", logisticRegression = "logistic_regression", linearSVM = "linear_svm", seconds
    }

    var chosenReport: ClassificationReport {
        switch chosen {
        case "naive-bayes": naiveBayes
        case "logistic-regression": logisticRegression ?? naiveBayes
        default: linearSVM ?? logisticRegression ?? naiveBayes
        }
    }

    var summary: String {
        func line(_ name: String, _ r: ClassificationReport) -> String {
            "  \(name): " + String(format: "accuracy %.3f  top-3 %.3f  macro-F1 %.3f  balanced %.3f  ECE %.3f", r.accuracy, r.top3Accuracy, r.macroF1, r.balancedAccuracy, r.expectedCalibrationError)
        }
        var lines = [
            "\(kind.rawValue): \(trainCount) train (older) / \(validationCount) held out (newer), \(classes.count) classes, vocabulary \(vocabulary)"
                + (heldOutUnseen > 0 ? ", \(heldOutUnseen) held-out papers of unseen classes" : ""),
            line("naive Bayes        ", naiveBayes),
        ]
        if let logisticRegression { lines.append(line("logistic regression", logisticRegression)) }
        if let linearSVM { lines.append(line("linear SVM         ", linearSVM)) }
        let regression = seconds.logisticRegression.map { String(format: ", LR %.2f", $0) } ?? ""
        lines.append("  registered: \(chosen); " + String(format: "%.2f s (TF-IDF %.2f, NB %.2f", seconds.total, seconds.vectorize, seconds.naiveBayes)
            + regression + String(format: ", SVM %.2f)", seconds.linearSVM ?? 0))
        return lines.joined(separator: "\n")
    }
}
