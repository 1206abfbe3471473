import ArgumentParser
import FITS
import Foundation

/// Writes LAMOST DR5-layout spectra (primary 5-row float32 image, or with `--layout coadd` a
/// `COADD` binary table as later releases have it; ~40 header keywords) with plausible physics,
/// deterministically from a seed, so the whole pipeline runs offline.
///
///     swift run starstream-sim --count 2000 --seed 1 --out .local/sim
@main
struct StarstreamSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "starstream-sim", abstract: "Simulate LAMOST DR5 low-resolution spectra as FITS files.")

    @Option(help: "How many spectra.") var count = 100
    @Option(help: "Random seed; the same seed writes the same files.") var seed: UInt64 = 1
    @Option(help: "Output directory (one sub-directory per plan).") var out: String
    @Option(help: "Spectra per observation plan.") var perPlan = 250
    @Option(help: "Also write this many broken files (truncated, missing CLASS, all-NaN flux), in turn.") var broken = 0
    @Flag(help: "Write plain .fits instead of .fits.gz.") var uncompressed = false
    @Option(help: "image: DR5's 5-row primary image; coadd: later releases' COADD binary table.") var layout: SpectrumLayout = .image

    func run() throws {
        var random = SeededRandom(seed: seed)
        var truth = "file,path,OBSID,PLANID,CLASS,SUBCLASS,Z,SNRG\n"
        let started = Date()
        for index in 0..<(count + broken) {
            let spectrum = Self.draw(&random)
            let plan = String(format: "SIM%03d_%02d", seed % 1000, index / perPlan)
            let spectrograph = 1 + (index % perPlan) / 250 % 16
            let fiber = 1 + index % 250
            let lmjd = 58000 + Int(seed % 1000)
            let name = "spec-\(lmjd)-\(plan)_sp\(String(format: "%02d", spectrograph))-\(String(format: "%03d", fiber)).fits" + (uncompressed ? "" : ".gz")
            let directory = out + "/" + plan
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/" + name
            let obsid = Int(seed % 1000) * 10_000_000 + index + 1
            let defect: Defect? = index >= count ? Defect.allCases[(index - count) % Defect.allCases.count] : nil
            try FileWriter(spectrum: spectrum, obsid: obsid, plan: plan, lmjd: lmjd, spectrograph: spectrograph, fiber: fiber, random: random)
                .write(to: path, layout: layout, defect: defect)
            random = SeededRandom(seed: random.next())
            truth += "\(name),\(path),\(obsid),\(plan),\(spectrum.objectClass),\(spectrum.subclass),\(spectrum.redshift),\(String(format: "%.2f", spectrum.snrG))"
                + (defect.map { ",\($0)" } ?? "") + "\n"
            if (index + 1) % 500 == 0 { print("starstream-sim: \(index + 1)/\(count + broken) written") }
        }
        try truth.write(toFile: out + "/truth.csv", atomically: true, encoding: .utf8)
        let seconds = Date().timeIntervalSince(started)
        print("starstream-sim: \(count) spectra\(broken > 0 ? " + \(broken) broken" : "") in \(out) (\(String(format: "%.1f", seconds)) s); truth in \(out)/truth.csv")
    }

    /// The population: mostly stars of every type, some galaxies and quasars.
    static func draw(_ random: inout SeededRandom) -> SyntheticSpectrum {
        let kind = random.weighted([("star", 0.85), ("galaxy", 0.1), ("qso", 0.05)])
        switch kind {
        case "galaxy": return .galaxy(random: &random)
        case "qso": return .qso(random: &random)
        default:
            let letter: Character = random.weighted([("O", 0.02), ("B", 0.06), ("A", 0.14), ("F", 0.2), ("G", 0.24), ("K", 0.2), ("M", 0.14)])
            return .star(letter: letter, subtype: Int(random.uniform(0...9.999)), random: &random)
        }
    }
}

enum SpectrumLayout: String, ExpressibleByArgument, CaseIterable {
    case image, coadd
}

enum Defect: String, CaseIterable, CustomStringConvertible {
    case truncated, missingClass = "missing-class", nanFlux = "nan-flux"
    var description: String { rawValue }
}
