import FITS
import Foundation

/// A LAMOST low-resolution spectrum as stored: header and the five arrays.
///
/// Reads both layouts: DR5's primary image of 5 rows (flux, inverse variance, wavelength,
/// andmask, ormask) and later releases' `COADD` binary table with one vector per column.
public struct SpectrumFile: Sendable {
    public enum Layout: String, Sendable, Codable {
        case primaryImage = "image"
        case coaddTable = "coadd"
    }

    public var path: String
    public var layout: Layout
    public var header: FITSHeader
    public var flux: [Float]
    public var inverseVariance: [Float]
    /// Vacuum wavelengths in Å, as the file gives them (never assumed to be a fixed grid).
    public var wavelength: [Float]
    public var andMask: [Float]
    public var orMask: [Float]

    public var fileName: String { (path as NSString).lastPathComponent }

    /// Reads and checks the whole file; every problem is a `SpectrumFileError` naming it.
    public static func read(_ path: String) throws(SpectrumFileError) -> SpectrumFile {
        try read(path: path) { () throws(FITSError) in try FITSFile.open(path) }
    }

    /// Reads and checks a file's contents (gzip-compressed or not) fetched from elsewhere;
    /// `name` is the survey's file name, for errors and `fileName`.
    public static func read(contents: [UInt8], name: String) throws(SpectrumFileError) -> SpectrumFile {
        try read(path: name) { () throws(FITSError) in try FITSFile.open(contents: contents, name: name) }
    }

    private static func read(path: String, opening open: () throws(FITSError) -> FITSFile) throws(SpectrumFileError) -> SpectrumFile {
        let name = (path as NSString).lastPathComponent
        do {
            let file = try open()
            let header = try file.header()
            let shape = try file.imageShape()
            var spectrum: SpectrumFile
            if shape.count == 2, shape[1] >= 3 {
                func row(_ index: Int) throws(FITSError) -> [Float] { index < shape[1] ? try file.readImageRow(index) : [] }
                let flux = try row(0)
                var wavelength = try row(2)
                // DR1 (and some DR2) files keep something else in the third row; their wavelengths
                // are the header's log-linear solution, 10^(COEFF0 + COEFF1·i).
                if !Self.isWavelengthScale(wavelength), let start = header["COEFF0"]?.double, let step = header["COEFF1"]?.double,
                    step > 0, start.isFinite
                {
                    wavelength = (0..<flux.count).map { Float(pow(10, start + step * Double($0))) }
                }
                spectrum = SpectrumFile(
                    path: path, layout: .primaryImage, header: header, flux: flux, inverseVariance: try row(1),
                    wavelength: wavelength, andMask: try row(3), orMask: try row(4))
            } else {
                do {
                    try file.moveTo(extension: "COADD")
                } catch {
                    throw SpectrumFileError(file: name, reason: "neither a 5-row primary image nor a COADD table (primary shape \(shape))")
                }
                func column(_ name: String) throws(FITSError) -> [Float] { try file.readColumn(name) }
                spectrum = SpectrumFile(
                    path: path, layout: .coaddTable, header: header, flux: try column("FLUX"), inverseVariance: try column("IVAR"),
                    wavelength: try column("WAVELENGTH"), andMask: try column("ANDMASK"), orMask: try column("ORMASK"))
            }
            try spectrum.validate()
            return spectrum
        } catch let error as SpectrumFileError {
            throw error
        } catch let error as FITSError {
            throw SpectrumFileError(file: name, reason: "unreadable FITS (\(error.operation) failed: \(error.message))")
        } catch {
            throw SpectrumFileError(file: name, reason: "\(error)")
        }
    }

    /// Strictly increasing, finite, positive optical wavelengths (Å): what a wavelength row must be.
    static func isWavelengthScale(_ values: [Float]) -> Bool {
        guard values.count >= 100, values.allSatisfy({ $0.isFinite && $0 > 0 }), values[0] > 3000, values[values.count - 1] < 11000 else {
            return false
        }
        return zip(values, values.dropFirst()).allSatisfy { $0 < $1 }
    }

    /// The arrays agree in length and the wavelengths are usable.
    func validate() throws(SpectrumFileError) {
        let count = wavelength.count
        guard count >= 100 else { throw SpectrumFileError(file: fileName, reason: "only \(count) wavelength pixels") }
        for (name, values) in [("flux", flux), ("inverse variance", inverseVariance), ("andmask", andMask), ("ormask", orMask)]
        where !values.isEmpty && values.count != count {
            throw SpectrumFileError(file: fileName, reason: "\(name) has \(values.count) pixels, wavelength \(count)")
        }
        guard flux.count == count, inverseVariance.count == count else {
            throw SpectrumFileError(file: fileName, reason: "flux or inverse variance missing")
        }
        guard wavelength.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw SpectrumFileError(file: fileName, reason: "wavelength row has non-finite or non-positive values")
        }
        for index in 1..<count where wavelength[index] <= wavelength[index - 1] {
            throw SpectrumFileError(file: fileName, reason: "wavelengths not increasing at pixel \(index)")
        }
        guard wavelength[0] > 3000, wavelength[count - 1] < 11000 else {
            throw SpectrumFileError(file: fileName, reason: "wavelengths \(wavelength[0])–\(wavelength[count - 1]) Å are not an optical spectrum")
        }
    }
}
