import Contracts
import Spectra

/// A feature vector with the survey's labels, as the trainer keeps it.
struct LabelledSpectrum: Sendable {
    var obsid: Int
    var objectClass: String
    var subclass: String
    var features: FeatureVector

    init(obsid: Int, objectClass: String, subclass: String, features: FeatureVector) {
        (self.obsid, self.objectClass, self.subclass, self.features) = (obsid, objectClass, subclass, features)
    }

    init(_ message: SpectrumFeatures) {
        self.init(obsid: message.entry.obsid, objectClass: message.entry.objectClass, subclass: message.entry.subclass, features: message.features)
    }

    /// The target of `kind`, or nil when this spectrum teaches that model nothing
    /// (an `Unknown` CLASS; an MK letter for a galaxy).
    func label(for kind: ModelKind) -> String? {
        switch kind {
        case .spectraClass: ["STAR", "GALAXY", "QSO"].contains(objectClass) ? objectClass : nil
        case .spectraMK: objectClass == "STAR" ? subclass.first.map(String.init).flatMap { "OBAFGKM".contains($0) ? $0 : nil } : nil
        case .arxivArchive, .arxivCategory: nil
        }
    }
}
