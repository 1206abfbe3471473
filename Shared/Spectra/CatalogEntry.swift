import FITS
import Foundation

/// One row of the spectra catalog: what the pipeline needs from a spectrum's header, checked.
public struct CatalogEntry: Codable, Sendable, Equatable {
    public var obsid: Int
    public var file: String
    public var designation: String?
    public var ra: Double?
    public var dec: Double?
    /// STAR, GALAXY, QSO or Unknown.
    public var objectClass: String
    /// An MK type for stars (`G7`, `A1IV`), `Non` otherwise.
    public var subclass: String
    /// nil where the survey measured none (`Z = -9999`).
    public var redshift: Double?
    public var redshiftError: Double?
    public var snrU: Double?
    public var snrG: Double?
    public var snrR: Double?
    public var snrI: Double?
    public var snrZ: Double?
    public var planId: String
    public var lmjd: Int?
    public var mjd: Int?
    public var spectrographId: Int?
    public var fiberId: Int?
    public var layout: SpectrumFile.Layout
    public var pixels: Int
    public var firstWavelength: Double
    public var lastWavelength: Double

    enum CodingKeys: String, CodingKey {
        case obsid, file, designation, ra, dec, subclass, redshift, layout, pixels
        case objectClass = "class", redshiftError = "redshift_error"
        case snrU = "snr_u", snrG = "snr_g", snrR = "snr_r", snrI = "snr_i", snrZ = "snr_z"
        case planId = "plan_id", lmjd, mjd, spectrographId = "spectrograph_id", fiberId = "fiber_id"
        case firstWavelength = "first_wavelength", lastWavelength = "last_wavelength"
    }

    public static let classes: Set<String> = ["STAR", "GALAXY", "QSO", "Unknown"]

    /// The MK spectral letter of a star (`G` for `G7`, `A` for `A1IV`); nil otherwise.
    public var mkLetter: String? {
        guard objectClass == "STAR", let first = subclass.first, "OBAFGKM".contains(first) else { return nil }
        return String(first)
    }

    /// Reads the catalog fields of `spectrum`, rejecting a header that lacks or garbles them.
    public init(_ spectrum: SpectrumFile) throws(SpectrumFileError) {
        let header = spectrum.header
        let file = spectrum.fileName
        func fail(_ reason: String) -> SpectrumFileError { SpectrumFileError(file: file, reason: reason) }
        func text(_ keyword: String) -> String? {
            guard let value = header[keyword]?.string?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        func number(_ keyword: String) throws(SpectrumFileError) -> Double? {
            guard let value = header[keyword], value != .undefined else { return nil }
            guard let number = value.double, number.isFinite else { throw fail("keyword \(keyword) is not a number: \(value)") }
            return number
        }
        func integer(_ keyword: String) throws(SpectrumFileError) -> Int? {
            guard let value = header[keyword], value != .undefined else { return nil }
            guard let number = value.integer else { throw fail("keyword \(keyword) is not an integer: \(value)") }
            return number
        }
        /// LAMOST writes -9999 for "not measured".
        func measured(_ value: Double?) -> Double? { value.flatMap { $0 <= -9998 ? nil : $0 } }

        guard let obsid = try integer("OBSID") else { throw fail("missing keyword OBSID") }
        guard obsid > 0 else { throw fail("OBSID \(obsid) is not positive") }
        guard let objectClass = text("CLASS") else { throw fail("missing keyword CLASS") }
        guard Self.classes.contains(objectClass) else { throw fail("CLASS '\(objectClass)' is not one of \(Self.classes.sorted())") }
        guard let planId = text("PLANID") else { throw fail("missing keyword PLANID") }
        self.obsid = obsid
        self.file = file
        self.objectClass = objectClass
        self.planId = planId
        subclass = text("SUBCLASS") ?? "Non"
        designation = text("DESIG")
        ra = try number("RA")
        dec = try number("DEC")
        if let ra, !(0..<360).contains(ra) { throw fail("RA \(ra) outside 0–360°") }
        if let dec, !(-90...90).contains(dec) { throw fail("DEC \(dec) outside ±90°") }
        redshift = measured(try number("Z"))
        redshiftError = measured(try number("Z_ERR"))
        snrU = measured(try number("SNRU"))
        snrG = measured(try number("SNRG"))
        snrR = measured(try number("SNRR"))
        snrI = measured(try number("SNRI"))
        snrZ = measured(try number("SNRZ"))
        lmjd = try integer("LMJD")
        mjd = try integer("MJD")
        spectrographId = try integer("SPID")
        fiberId = try integer("FIBERID")
        layout = spectrum.layout
        pixels = spectrum.wavelength.count
        firstWavelength = Double(spectrum.wavelength.first ?? 0)
        lastWavelength = Double(spectrum.wavelength.last ?? 0)
    }
}
