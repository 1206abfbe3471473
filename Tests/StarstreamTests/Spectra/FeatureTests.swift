import Foundation
import Spectra
import Testing

@Suite("Line features: known answers and the physics of real stars")
struct FeatureTests {
    @Test("an analytic Hα line of known equivalent width is reported in the rest frame within 2%, at z = 0 and z = 0.1")
    func analyticFeature() throws {
        let wavelength = PreprocessingTests.observed
        let (sigma, depth) = (4.0, 0.5)
        let expected = depth * sigma * (2 * Double.pi).squareRoot()
        for z in [0.0, 0.1] {
            // Redshift stretches the line: centre and width by (1 + z).
            let flux = wavelength.map {
                PreprocessingTests.planck($0) * PreprocessingTests.absorption($0, center: 6564.61 * (1 + z), sigma: sigma * (1 + z), depth: depth)
            }
            let spectrum = try Preprocessor().process(
                wavelength: wavelength, flux: flux, inverseVariance: flux.map { 1 / pow(0.01 * $0, 2) }, good: flux.map { _ in true }, file: "analytic")
            let features = FeatureExtractor().extract(spectrum, redshift: z)
            let measured = try #require(features["ew_H_alpha"])
            #expect(abs(measured / expected - 1) < 0.02, "z = \(z): EW \(measured) Å, expected \(expected) Å")
            #expect(features.names.count == features.values.count)
            // Sky position, redshift, survey bookkeeping and observing quality stay out: the model must learn lines.
            #expect(Set(features.names).isDisjoint(with: [
                "ra", "dec", "redshift", "z", "obsid", "fiber_id", "spectrograph_id", "plan_id", "lmjd", "mjd",
                "median_snr", "good_fraction", "snr_g", "snr_r",
            ]))
        }
    }

    @Test("no line's pseudo-continuum bands sit on another line it measures")
    func sideBandsAreClear() {
        for line in SpectralLine.catalog {
            let bands = line.bands
            for other in SpectralLine.catalog where other != line {
                #expect(!bands.blue.contains(other.center) && !bands.red.contains(other.center), "\(line.name)'s side band covers \(other.name)")
            }
        }
    }

    @Test("real DR5 stars: Balmer lines fade and metal lines grow from A to K/M, and the continuum reddens")
    func realStarsFollowTheSpectralSequence() throws {
        var byLetter: [String: [FeatureVector]] = [:]
        for path in try Fixtures.lamostFiles() {
            let file = try SpectrumFile.read(path)
            let entry = try CatalogEntry(file)
            guard let letter = entry.mkLetter else { continue }
            byLetter[letter, default: []].append(FeatureExtractor().extract(try Preprocessor().process(file), redshift: entry.redshift))
        }
        func mean(_ letters: [String], _ feature: String) -> Double {
            let values = letters.flatMap { byLetter[$0] ?? [] }.compactMap { $0[feature] }
            return values.reduce(0, +) / Double(max(1, values.count))
        }
        #expect(mean(["A"], "ew_H_delta") > mean(["F"], "ew_H_delta"))
        #expect(mean(["F"], "ew_H_delta") > mean(["G"], "ew_H_delta"))
        #expect(mean(["A"], "ew_H_beta") > 3 * mean(["G"], "ew_H_beta"))
        #expect(mean(["G"], "ew_CaII_K") > mean(["F"], "ew_CaII_K"))
        #expect(mean(["F"], "ew_CaII_K") > mean(["A"], "ew_CaII_K"))
        #expect(mean(["G"], "ew_G_band") > mean(["A"], "ew_G_band"))
        #expect(mean(["K", "M"], "ew_Na_D") > mean(["G"], "ew_Na_D"))
        #expect(mean(["A"], "colour_4500_6500") > mean(["G"], "colour_4500_6500"))
        #expect(mean(["G"], "colour_4500_6500") > mean(["K", "M"], "colour_4500_6500"))
    }
}
