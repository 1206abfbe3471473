/// arXiv's own rules for categories that no new paper can get, as its taxonomy
/// (`arxiv-base`, `arxiv/taxonomy/definitions.py`) states them.
///
/// Why the text models need them: the corpus holds thousands of papers whose primary category
/// was retired decades ago (`alg-geom` until 1997, `solv-int` until 1999, undivided `astro-ph`
/// until 2008). A model that learns those labels spends probability on answers that are always
/// wrong for a paper submitted today, and the categories that took them over lose the examples.
/// Trained on the current name instead, `math.AG` learns from `alg-geom`'s papers as arXiv's
/// own listings do.
public enum ArxivTaxonomy {
    /// Archives that ended and were subsumed by a category (arXiv's `ARCHIVES_SUBSUMED`).
    public static let subsumedBy: [String: String] = [
        "acc-phys": "physics.acc-ph", "adap-org": "nlin.AO", "alg-geom": "math.AG", "ao-sci": "physics.ao-ph",
        "atom-ph": "physics.atom-ph", "bayes-an": "physics.data-an", "chao-dyn": "nlin.CD", "chem-ph": "physics.chem-ph",
        "cmp-lg": "cs.CL", "comp-gas": "nlin.CG", "dg-ga": "math.DG", "funct-an": "math.FA", "mtrl-th": "cond-mat.mtrl-sci",
        "patt-sol": "nlin.PS", "plasm-ph": "physics.plasm-ph", "q-alg": "math.QA", "solv-int": "nlin.SI", "supr-con": "cond-mat.supr-con",
    ]

    /// Archives once used bare as a primary category and since divided (arXiv's
    /// `LEGACY_ARCHIVE_AS_PRIMARY`: `astro-ph` until December 2008, `cond-mat` until January
    /// 2004). Which of today's categories such a paper belongs to is not recorded.
    public static let legacyBarePrimaries: Set<String> = ["astro-ph", "cond-mat"]

    /// The category a paper with primary `category` would be listed under today: the subsuming
    /// category of a retired archive, nil for a bare legacy archive, otherwise itself.
    public static func current(category: String) -> String? {
        if let successor = subsumedBy[category] { return successor }
        return legacyBarePrimaries.contains(category) ? nil : category
    }

    /// The archive of that category today: `math` for `alg-geom`, `astro-ph` for bare `astro-ph`.
    public static func currentArchive(of category: String) -> String {
        ArxivEntry.archive(of: subsumedBy[category] ?? category)
    }

    /// Whether a predicted category is right for a paper arXiv recorded under `recorded`: its
    /// current name counts (`math.AG` for an `alg-geom` paper); a bare legacy primary matches
    /// only itself, which no model trained on today's names predicts.
    public static func isCorrect(predicted: String, recorded: String) -> Bool {
        predicted == (current(category: recorded) ?? recorded)
    }

    /// The same for a predicted archive.
    public static func isCorrect(predictedArchive: String, recorded: String) -> Bool {
        predictedArchive == currentArchive(of: recorded)
    }
}
