import FITS
import Foundation

/// Renders one synthetic spectrum into a DR5-layout FITS file.
struct FileWriter {
    var spectrum: SyntheticSpectrum
    var obsid: Int
    var plan: String
    var lmjd: Int
    var spectrograph: Int
    var fiber: Int
    var random: SeededRandom

    func write(to path: String, layout: SpectrumLayout = .image, defect: Defect?) throws {
        var random = random
        // DR5's log-linear solution; spectrographs end at slightly different pixels.
        let (coeff0, coeff1) = (3.5682, 1e-4)
        let width = random.uniform(0...1) < 0.7 ? 3909 : 3892
        let wavelength = (0..<width).map { pow(10, coeff0 + coeff1 * Double($0)) }
        let model = wavelength.map(spectrum.flux(at:))
        // Scale so the g band (≈4700 Å) sits near 500 counts; noise from the g-band S/N.
        let gIndex = Int((log10(4700) - coeff0) / coeff1)
        let scale = 500 / max(model[gIndex], 1e-300)
        let sigmaG = 500 / spectrum.snrG
        var flux = [Float](repeating: 0, count: width), ivar = flux, andMask = flux, orMask = flux
        for index in 0..<width {
            let signal = model[index] * scale
            // Photon noise grows with signal; a floor keeps faint ends noisy.
            let sigma = sigmaG * max(0.3, (max(signal, 0) / 500).squareRoot())
            flux[index] = Float(signal + sigma * random.gaussian())
            ivar[index] = Float(1 / (sigma * sigma))
            if random.uniform(0...1) < 0.002 {  // a few bad pixels, as the pipeline flags them
                andMask[index] = Float(1 << 23)  // BADSKY-like bit
                orMask[index] = Float(1 << 23)
                ivar[index] = 0
            }
        }
        if defect == .nanFlux { flux = flux.map { _ in .nan } }
        let pixels = flux + ivar + wavelength.map(Float.init) + andMask + orMask

        let file = try FITSFile.create(path)
        switch layout {
        case .image: try file.writeImage(width: width, height: 5, pixels: pixels)
        case .coadd: try file.writeImage(width: 0, height: 0, pixels: [])  // header only; the arrays follow in COADD
        }
        let snr = spectrum.snrG
        var cards: [(String, FITSValue, String)] = [
            ("OBSID", .integer(obsid), "Unique number ID of this spectrum"),
            ("DESIG", .string(String(format: "LAMOST J%06.0f+%06.0f", random.uniform(0...235959), random.uniform(0...895959))), "Designation of LAMOST target"),
            ("RA", .double(random.uniform(0...359.999)), "[deg] Right ascension of object"),
            ("DEC", .double(random.uniform(-10...89)), "[deg] Declination of object"),
            ("PLANID", .string(plan), "Plan ID in use"), ("LMJD", .integer(lmjd), "Local Modified Julian Day"),
            ("MJD", .integer(lmjd - 1), "Modified Julian Day"), ("SPID", .integer(spectrograph), "Spectrograph ID"),
            ("FIBERID", .integer(fiber), "Fiber ID of Object"),
            ("CLASS", .string(spectrum.objectClass), "Class of object"), ("SUBCLASS", .string(spectrum.subclass), "Subclass of object"),
            ("Z", .double(spectrum.redshift), "Redshift of object"), ("Z_ERR", .double(abs(spectrum.redshift) * 1e-3 + 3e-5), "Redshift error of object"),
            ("ZFLAG", .string("SIM"), "Which method computes the redshift"),
            ("SNRU", .double((snr * 0.3 * 100).rounded() / 100), "SNR of u filter"), ("SNRG", .double((snr * 100).rounded() / 100), "SNR of g filter"),
            ("SNRR", .double((snr * 1.4 * 100).rounded() / 100), "SNR of r filter"), ("SNRI", .double((snr * 1.6 * 100).rounded() / 100), "SNR of i filter"),
            ("SNRZ", .double((snr * 1.1 * 100).rounded() / 100), "SNR of z filter"),
            ("VACUUM", .logical(true), "Wavelengths are in vacuum"), ("COEFF0", .double(coeff0), "Central wavelength (log10) of first pixel"),
            ("COEFF1", .double(coeff1), "Log10 dispersion per pixel"), ("TSOURCE", .string("STARSTREAM-SIM"), "Simulated by starstream-sim"),
            // CatalogEntry.simulatedRelease: training reports count these apart from real releases.
            ("DATA_V", .string("starstream-sim"), "Data release version: simulated"),
        ]
        if defect == .missingClass { cards.removeAll { $0.0 == "CLASS" } }
        for (keyword, value, comment) in cards { try file.write(keyword: keyword, value, comment: comment) }
        if layout == .coadd {
            try file.writeVectorTable(name: "COADD", columns: [
                ("FLUX", flux), ("IVAR", ivar), ("WAVELENGTH", wavelength.map(Float.init)), ("ANDMASK", andMask), ("ORMASK", orMask),
            ])
        }
        try file.close()
        if defect == .truncated {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: path))
        }
    }
}
