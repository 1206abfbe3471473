import Foundation
import Spectra
import Testing

/// Every LAMOST low-resolution layout the shared real spectra hold, read into catalog entries.
@Suite("LAMOST releases: DR1, DR2, DR5 and DR10 files read, with their wavelengths and labels")
struct ReleaseLayoutTests {
    /// A file's wavelengths from its header's log-linear solution, as DR1 needs them.
    static func logLinear(_ file: SpectrumFile, pixel: Int) throws -> Double {
        let start = try #require(file.header["COEFF0"]?.double), step = try #require(file.header["COEFF1"]?.double)
        return pow(10, start + step * Double(pixel))
    }

    @Test("DR5 (../shared/fixtures/lamost): the wavelength row is the header's log-linear solution, 3,700–9,100 Å")
    func dr5() throws {
        let file = try SpectrumFile.read(try #require(try Fixtures.lamostFiles().first))
        #expect(file.layout == .primaryImage)
        // The formula DR1 files need, checked against files that carry their wavelengths.
        for pixel in [0, 1000, file.wavelength.count - 1] {
            #expect(abs(Double(file.wavelength[pixel]) - (try Self.logLinear(file, pixel: pixel))) < 0.05, "pixel \(pixel)")
        }
        #expect(abs(Double(file.wavelength[0]) - 3700) < 1 && abs(Double(file.wavelength.last!) - 9100) < 15)
    }

    @Test("DR1: the third image row is not a wavelength; wavelengths come from COEFF0/COEFF1 (3,700–9,089 Å over 3,904 pixels)")
    func dr1() throws {
        let path = try #require(try Fixtures.lamostRealFiles("dr1").first)
        let file = try SpectrumFile.read(path)
        #expect(file.layout == .primaryImage && file.wavelength.count == 3904)
        #expect(abs(Double(file.wavelength[0]) - 3699.98) < 0.05)
        #expect(abs(Double(file.wavelength[3903]) - (try Self.logLinear(file, pixel: 3903))) < 0.05)
        #expect(abs(Double(file.wavelength[3903]) - 9088.6) < 0.5)
        let entry = try CatalogEntry(file)
        #expect(entry.obsidDerived == true && entry.obsid >= 1 << 51, "DR1 headers have no OBSID")
        #expect(entry.release == nil && entry.snrG != nil, "no DATA_V; SNR read from SN_G")
    }

    @Test("DR2: a primary image with the header's OBSID missing and FIBERID written as a string")
    func dr2() throws {
        let path = try #require(try Fixtures.lamostRealFiles("dr2").first)
        let entry = try CatalogEntry(SpectrumFile.read(path))
        #expect(entry.layout == .primaryImage)
        #expect(entry.fiberId == 1 && entry.obsidDerived == true)
        #expect(entry.firstWavelength > 3690 && entry.firstWavelength < 3710 && entry.lastWavelength > 9000)
    }

    @Test("DR10: the COADD binary table, with its release kept")
    func dr10() throws {
        let path = try #require(try Fixtures.lamostRealFiles("dr10").first)
        let entry = try CatalogEntry(SpectrumFile.read(path))
        #expect(entry.layout == .coaddTable && entry.release == "LAMOST DR10" && entry.obsidDerived == nil)
        #expect(entry.firstWavelength > 3690 && entry.firstWavelength < 3710 && entry.lastWavelength > 8900)
    }

    @Test("all 1,763 shared real files are read, each with labels.csv's class, SUBCLASS, plan, OBSID and SNRG, and distinct OBSIDs")
    func allSharedFiles() async throws {
        let text = try String(contentsOf: Fixtures.lamostReal.appendingPathComponent("labels.csv"), encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 1763)
        let folder = Fixtures.lamostReal
        let entries = try await offThePool {
            try rows.map { try CatalogEntry(SpectrumFile.read(folder.appendingPathComponent($0[0]).path)) }
        }
        var obsids = Set<Int>()
        for (row, entry) in zip(rows, entries) {
            let (file, obsid, objectClass, subclass, snrG, plan) = (row[0], row[2], row[4], row[5], row[6], row[7])
            #expect(entry.objectClass == objectClass && entry.subclass == subclass && entry.planId == plan, "\(file)")
            if let survey = Int(obsid) { #expect(entry.obsid == survey, "\(file)") } else { #expect(entry.obsidDerived == true, "\(file)") }
            #expect(abs((entry.snrG ?? -1) - (Double(snrG) ?? -2)) < 0.01, "\(file)")
            if objectClass == "STAR" { #expect(entry.mkLetter != nil, "\(file): \(subclass) has an MK letter") }
            obsids.insert(entry.obsid)
        }
        #expect(obsids.count == rows.count)
    }

    @Test("SUBCLASS read as an MK type, the raw value kept", arguments: [
        ("G7", "G", 7.0, nil, 47.0), ("A7III", "A", 7, "III", 27), ("A1IV", "A", 1, "IV", 21), ("dM1", "M", 1, nil, 61),
        ("gM0", "M", 0, nil, 60), ("K5", "K", 5, nil, 55), ("O5", "O", 5, nil, 5), ("B9.5V", "B", 9.5, "V", 19.5),
    ] as [(String, String, Double, String?, Double)])
    func spectralTypes(subclass: String, letter: String, subtype: Double, luminosityClass: String?, index: Double) throws {
        let type = try #require(SpectralType(subclass: subclass))
        #expect(type.letter == letter && type.subtype == subtype && type.luminosityClass == luminosityClass && type.index == index)
    }

    @Test("no MK type: sdM has a letter but no subtype; Non, white dwarfs and carbon stars have none")
    func untyped() {
        #expect(SpectralType(subclass: "sdM").map { ($0.letter, $0.subtype, $0.prefix) } ?? ("", 0, nil) == ("M", nil, "sd"))
        #expect(SpectralType(subclass: "sdM")?.index == nil)
        for raw in ["Non", "DA", "WD", "Carbon", "", "Unknown"] { #expect(SpectralType(subclass: raw) == nil, "\(raw)") }
    }
}
