import Contracts
import Spectra

/// A feature vector with the survey's labels, as the trainer keeps it.
struct LabelledSpectrum: Sendable {
    var obsid: Int
    var objectClass: String
    var subclass: String
    var features: FeatureVector
    /// The observation plan (PLANID): cross-validation keeps one plate on one side.
    var plan: String?
    /// `CatalogEntry.source` (`LAMOST DR10`, `starstream-sim`): reports count examples per source.
    var source: String?

    init(obsid: Int, objectClass: String, subclass: String, features: FeatureVector, plan: String? = nil, source: String? = nil) {
        (self.obsid, self.objectClass, self.subclass, self.features) = (obsid, objectClass, subclass, features)
        (self.plan, self.source) = (plan, source)
    }

    init(_ message: SpectrumFeatures) {
        self.init(
            obsid: message.entry.obsid, objectClass: message.entry.objectClass, subclass: message.entry.subclass, features: message.features,
            plan: message.entry.planId, source: message.entry.source)
    }

    /// The target of `kind`, or nil when this spectrum teaches that model nothing
    /// (an `Unknown` CLASS; an MK letter for a galaxy).
    func label(for kind: ModelKind) -> String? {
        switch kind {
        case .spectraClass: ["STAR", "GALAXY", "QSO"].contains(objectClass) ? objectClass : nil
        // The letter as SpectralType reads SUBCLASS: `dM1` and `gM0` are M stars.
        case .spectraMK: objectClass == "STAR" ? SpectralType(subclass: subclass)?.letter : nil
        case .arxivArchive, .arxivCategory: nil
        }
    }

    /// The spectral type index (A0 = 20 … M9 = 69) of a star whose SUBCLASS has a subtype.
    var typeIndex: Double? {
        objectClass == "STAR" ? SpectralType(subclass: subclass)?.index : nil
    }
}
