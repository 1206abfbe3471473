import FITS
import Foundation

/// One row of the spectra catalog: what the pipeline needs from a spectrum's header, checked.
public struct CatalogEntry: Codable, Sendable, Equatable {
    /// The survey's OBSID; for DR1–DR2 files, whose headers have none, one derived from the
    /// observation (see `derivedObsid`), and `obsidDerived` is true.
    public var obsid: Int
    public var obsidDerived: Bool?
    /// The data release as the header says (`DATA_V`: `LAMOST DR10`); nil where it says none (DR1–DR2).
    public var release: String?
    public var file: String
    public var designation: String?
    public var ra: Double?
    public var dec: Double?
    /// STAR, GALAXY, QSO or Unknown.
    public var objectClass: String
    /// An MK type for stars (`G7`, `A1IV`, `dM1`), `Non` otherwise: the survey's value, as written.
    public var subclass: String
    /// `subclass` read as an MK type (letter, subtype, luminosity class, index), for stars.
    public var spectralType: SpectralType?
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
        case obsid, file, designation, ra, dec, subclass, redshift, layout, pixels, release
        case obsidDerived = "obsid_derived", spectralType = "spectral_type"
        case objectClass = "class", redshiftError = "redshift_error"
        case snrU = "snr_u", snrG = "snr_g", snrR = "snr_r", snrI = "snr_i", snrZ = "snr_z"
        case planId = "plan_id", lmjd, mjd, spectrographId = "spectrograph_id", fiberId = "fiber_id"
        case firstWavelength = "first_wavelength", lastWavelength = "last_wavelength"
    }

    public static let classes: Set<String> = ["STAR", "GALAXY", "QSO", "Unknown"]

    /// What `starstream-sim` writes as DATA_V.
    public static let simulatedRelease = "starstream-sim"

    /// Where the spectrum comes from, for training reports: the release (`LAMOST DR10`,
    /// `starstream-sim` for simulated files), `LAMOST DR1-DR2` for headers without DATA_V or
    /// OBSID, `unknown release` otherwise.
    public var source: String {
        release ?? (obsidDerived == true ? "LAMOST DR1-DR2" : "unknown release")
    }

    /// The MK spectral letter of a star (`G` for `G7`, `A` for `A1IV`, `M` for `dM1`); nil otherwise.
    /// Read from `subclass` (not `spectralType`), so that rows stored before it existed have it too.
    public var mkLetter: String? {
        guard objectClass == "STAR" else { return nil }
        return SpectralType(subclass: subclass)?.letter
    }

    /// An OBSID for a file whose header has none (DR1–DR2): the observation's LMJD, plan,
    /// spectrograph and fiber (what its file name says) hashed (FNV-1a) into [2^51, 2^52), above
    /// every survey OBSID (< 2^31) and exact in JSON's doubles. The same observation always gets
    /// the same one.
    public static func derivedObsid(lmjd: Int, planId: String, spectrograph: Int, fiber: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(lmjd)-\(planId)-\(spectrograph)-\(fiber)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int((hash & ((1 << 51) - 1)) | (1 << 51))
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
            // DR2 writes some as strings (FIBERID = '1       ').
            guard let number = value.integer ?? value.string.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
                throw fail("keyword \(keyword) is not an integer: \(value)")
            }
            return number
        }
        /// LAMOST writes -9999 for "not measured".
        func measured(_ value: Double?) -> Double? { value.flatMap { $0 <= -9998 ? nil : $0 } }

        lmjd = try integer("LMJD")
        spectrographId = try integer("SPID")
        fiberId = try integer("FIBERID")
        if let obsid = try integer("OBSID") {
            guard obsid > 0 else { throw fail("OBSID \(obsid) is not positive") }
            self.obsid = obsid
        } else if let lmjd, let planId = text("PLANID"), let spectrographId, let fiberId {
            obsid = Self.derivedObsid(lmjd: lmjd, planId: planId, spectrograph: spectrographId, fiber: fiberId)
            obsidDerived = true
        } else {
            throw fail("missing keyword OBSID (and LMJD, PLANID, SPID or FIBERID, to derive one)")
        }
        guard let objectClass = text("CLASS") else { throw fail("missing keyword CLASS") }
        guard Self.classes.contains(objectClass) else { throw fail("CLASS '\(objectClass)' is not one of \(Self.classes.sorted())") }
        guard let planId = text("PLANID") else { throw fail("missing keyword PLANID") }
        self.file = file
        self.objectClass = objectClass
        self.planId = planId
        subclass = text("SUBCLASS") ?? "Non"
        spectralType = objectClass == "STAR" ? SpectralType(subclass: subclass) : nil
        release = text("DATA_V")
        designation = text("DESIG")
        ra = try number("RA")
        dec = try number("DEC")
        if let ra, !(0..<360).contains(ra) { throw fail("RA \(ra) outside 0–360°") }
        if let dec, !(-90...90).contains(dec) { throw fail("DEC \(dec) outside ±90°") }
        redshift = measured(try number("Z"))
        redshiftError = measured(try number("Z_ERR"))
        // DR1–DR2 spell them SN_U … SN_Z.
        func snr(_ band: String) throws(SpectrumFileError) -> Double? {
            if let value = try number("SNR" + band) { return measured(value) }
            return measured(try number("SN_" + band))
        }
        snrU = try snr("U")
        snrG = try snr("G")
        snrR = try snr("R")
        snrI = try snr("I")
        snrZ = try snr("Z")
        mjd = try integer("MJD")
        layout = spectrum.layout
        pixels = spectrum.wavelength.count
        firstWavelength = Double(spectrum.wavelength.first ?? 0)
        lastWavelength = Double(spectrum.wavelength.last ?? 0)
    }
}
