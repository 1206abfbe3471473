import Foundation

/// One simulated object: what it is, and its flux at any vacuum wavelength (observed frame).
struct SyntheticSpectrum {
    enum Kind { case star(letter: Character, subtype: Int), galaxy, qso }

    var kind: Kind
    var objectClass: String
    var subclass: String
    var redshift: Double
    /// Signal-to-noise per pixel in the g band.
    var snrG: Double
    private var continuum: (Double) -> Double
    /// (rest centre Å, rest σ Å, equivalent width Å: positive absorption, negative emission)
    private var lines: [(Double, Double, Double)]
    /// (rest band head Å, width Å, depth): molecular bands with a sharp blue edge.
    private var bands: [(Double, Double, Double)]

    /// Relative flux (arbitrary units ≈ hundreds of counts) at an observed vacuum wavelength.
    func flux(at observed: Double) -> Double {
        let rest = observed / (1 + redshift)
        var value = continuum(rest)
        // A molecular band: absorption that starts at the head and deepens to the red (its lines
        // pile up) until the band ends, as real TiO bands do; measured against side bands, the
        // red side is the deeper.
        for (head, width, depth) in bands where rest >= head && rest <= head + width {
            value *= 1 - depth * (1 - exp(-(rest - head) / (0.25 * width)))
        }
        var factor = 1.0
        for (center, sigma, ew) in lines where abs(rest - center) < 8 * sigma {
            let amplitude = ew / (sigma * (2 * Double.pi).squareRoot())
            factor -= amplitude * exp(-0.5 * pow((rest - center) / sigma, 2))
        }
        return value * max(0.02, factor)
    }

    static func planck(_ wavelength: Double, _ temperature: Double) -> Double {
        let lambda = wavelength * 1e-10
        return 1 / (pow(lambda, 5) * (exp(0.014387769 / (lambda * temperature)) - 1))
    }

    /// Instrumental line width (R ≈ 1800) added in quadrature.
    static func sigma(_ center: Double, intrinsic: Double = 0) -> Double {
        (pow(center / (1800 * 2.355), 2) + intrinsic * intrinsic).squareRoot()
    }

    // MARK: - Stars

    static let temperatures: [Character: (hot: Double, cool: Double)] = [
        "O": (45000, 30000), "B": (30000, 10500), "A": (10000, 7500), "F": (7400, 6000),
        "G": (5900, 5300), "K": (5200, 3900), "M": (3850, 2700),
    ]

    static func star(letter: Character, subtype: Int, random: inout SeededRandom) -> SyntheticSpectrum {
        let range = temperatures[letter]!
        let temperature = range.hot + (range.cool - range.hot) * Double(subtype) / 9
        // Line strengths (EW, Å) by letter, interpolated within the letter by subtype.
        let t = Double(subtype) / 9
        func pick(_ values: [Character: (Double, Double)]) -> Double {
            let (a, b) = values[letter] ?? (0, 0)
            return max(0, (a + (b - a) * t) * (1 + 0.1 * random.gaussian()))
        }
        let balmer = pick(["O": (1.5, 2.5), "B": (3, 8), "A": (12, 8), "F": (7, 3.5), "G": (2.8, 1.8), "K": (1.5, 0.7), "M": (0.6, 0.4)])
        let calciumK = pick(["O": (0, 0), "B": (0.1, 0.4), "A": (0.5, 3.5), "F": (4, 7.5), "G": (8, 11), "K": (12, 14), "M": (11, 8)])
        let gBand = pick(["F": (1, 3), "G": (4, 6.5), "K": (7, 6), "M": (5, 3)])
        let magnesium = pick(["A": (0.3, 0.6), "F": (0.7, 1.5), "G": (2, 3.5), "K": (4, 6), "M": (5, 4)])
        let sodium = pick(["A": (0.3, 0.5), "F": (0.6, 1.2), "G": (1.5, 2.5), "K": (3, 6), "M": (7, 9)])
        let helium = pick(["O": (0.8, 1.0), "B": (1.2, 0.2)])
        let ionisedHelium = pick(["O": (0.8, 0.3)])
        let tripletCalcium = pick(["F": (1, 2), "G": (2, 3), "K": (3, 4), "M": (4, 3)])
        // Ca I 6162 and its neighbours, in the window of TiO 6160: what real A–K stars show there.
        let neutralCalcium = pick(["A": (0.35, 0.45), "F": (0.55, 0.75), "G": (0.75, 0.9), "K": (1.1, 1.6), "M": (1.5, 1.5)])
        let broad = letter == "A" || letter == "B" ? 6.0 : letter == "F" ? 3.0 : 0.5
        func calibrated(_ line: Calibration.Line) -> Double { Calibration.factor(letter, line) }
        var lines: [(Double, Double, Double)] = [
            (6564.61, sigma(6564.61, intrinsic: broad * 1.2), balmer * 0.8 * calibrated(.hAlpha)),
            (4862.69, sigma(4862.69, intrinsic: broad), balmer * calibrated(.hBeta)),
            (4341.69, sigma(4341.69, intrinsic: broad), balmer * 0.95 * calibrated(.hGamma)),
            (4102.90, sigma(4102.90, intrinsic: broad), balmer * 0.9 * calibrated(.hDelta)),
            // Hε sits on Ca II H: in A stars it is most of what is measured there.
            (3971.20, sigma(3971.20, intrinsic: broad), balmer * 0.8 * calibrated(.hDelta)),
            (3934.77, sigma(3934.77, intrinsic: 2), calciumK * calibrated(.calciumK)),
            (3969.59, sigma(3969.59, intrinsic: 2), calciumK * 0.7 * calibrated(.calciumH)),
            (4301.0, sigma(4301, intrinsic: 6), gBand * calibrated(.gBand)),
            (5168.8, sigma(5168.8), magnesium * 0.3 * calibrated(.magnesium)), (5174.1, sigma(5174.1), magnesium * 0.35 * calibrated(.magnesium)),
            (5185.0, sigma(5185.0), magnesium * 0.35 * calibrated(.magnesium)),
            (5891.6, sigma(5891.6), sodium * 0.55 * calibrated(.sodium)), (5897.6, sigma(5897.6), sodium * 0.45 * calibrated(.sodium)),
            (6163.9, sigma(6163.9, intrinsic: 3), neutralCalcium),
            (4472.7, sigma(4472.7), helium), (5877.3, sigma(5877.3), helium * 0.8), (4687.0, sigma(4687.0), ionisedHelium),
            (8500.4, sigma(8500.4), tripletCalcium * 0.3 * calibrated(.tripletCalcium)),
            (8544.4, sigma(8544.4), tripletCalcium * 0.4 * calibrated(.tripletCalcium)),
            (8664.5, sigma(8664.5), tripletCalcium * 0.35 * calibrated(.tripletCalcium)),
        ]
        // Paschen lines of hot stars fall on the Ca II triplet (Pa16, Pa15, Pa13).
        if "OBAF".contains(letter) {
            lines += [(8504.8, sigma(8504.8, intrinsic: broad), balmer * 0.15), (8547.7, sigma(8547.7, intrinsic: broad), balmer * 0.15),
                      (8667.4, sigma(8667.4, intrinsic: broad), balmer * 0.15)]
        }
        lines.removeAll { $0.2 <= 0 }
        var bands: [(Double, Double, Double)] = []
        if letter == "M" {
            let depth = min(0.85, 0.25 + 0.07 * Double(subtype))
            // Depths halved (and the 6160 band's fifth) to what the real M stars measure.
            bands = [(6159.7, 120, depth * 0.15), (7054.9, 150, depth * 0.5), (7591.1, 120, depth * 0.4), (4954.0, 100, depth * 0.25), (5167.0, 90, depth * 0.25)]
        } else if letter == "K" && subtype >= 5 {
            // Late K stars show the first, shallow TiO bands.
            let depth = 0.04 * Double(subtype - 4)
            bands = [(6159.7, 120, depth * 0.7), (7054.9, 150, depth)]
        }
        let luminosity = (letter == "A" && random.uniform(0...1) < 0.3) ? ["IV", "V"][Int(random.uniform(0...1.999))] : ""
        // S/N as the shared real stars have it (median ≈ 50 for A–G, 10–200), not fainter.
        let snr = exp(random.uniform(log(5)...log(200)))
        // Stars: radial velocity only (|z| ≲ 3e-4).
        let z = 1e-4 * random.gaussian()
        // Interstellar reddening, which real survey stars have and a colour alone cannot tell
        // from temperature: E(B−V) up to 0.3 mag, A_λ ≈ 3.1·E(B−V)·(5500 Å / λ) (optical 1/λ law).
        // Up to 0.12: with more, the simulated continua were redder than the real stars' of every letter.
        let reddening = random.uniform(0...0.12)
        return SyntheticSpectrum(
            kind: .star(letter: letter, subtype: subtype), objectClass: "STAR", subclass: "\(letter)\(subtype)\(luminosity)",
            redshift: z, snrG: snr, continuum: { planck($0, temperature) * pow(10, -0.4 * 3.1 * reddening * 5500 / $0) },
            lines: lines, bands: bands)
    }

    // MARK: - Galaxies and quasars

    static func galaxy(random: inout SeededRandom) -> SyntheticSpectrum {
        let z = random.uniform(0.01...0.3)
        let starForming = random.uniform(0...1) < 0.6
        let strength = starForming ? random.uniform(8...60) : random.uniform(0...4)
        let lines: [(Double, Double, Double)] = [
            (3727.1, sigma(3727.1, intrinsic: 2), -strength * 0.5), (3729.9, sigma(3729.9, intrinsic: 2), -strength * 0.6),
            (4862.69, sigma(4862.69, intrinsic: 2), -strength * 0.3), (4960.3, sigma(4960.3, intrinsic: 2), -strength * 0.25),
            (5008.2, sigma(5008.2, intrinsic: 2), -strength * 0.75), (6564.61, sigma(6564.61, intrinsic: 2), -strength),
            (6549.9, sigma(6549.9, intrinsic: 2), -strength * 0.12), (6585.3, sigma(6585.3, intrinsic: 2), -strength * 0.35),
            (3934.77, sigma(3934.77, intrinsic: 4), 6), (3969.59, sigma(3969.59, intrinsic: 4), 5), (5176.0, sigma(5176, intrinsic: 5), 3),
            (5894.6, sigma(5894.6, intrinsic: 3), 2),
        ]
        // An old population with a 4000 Å break. LAMOST observes galaxies and quasars faint
        // (SNRG 1–10), so they are simulated that noisy: a model that only saw clean ones
        // calls a real, noisy galaxy a star.
        let continuum: (Double) -> Double = { rest in planck(rest, 5200) * (rest < 4000 ? 0.6 : 1) }
        return SyntheticSpectrum(
            kind: .galaxy, objectClass: "GALAXY", subclass: "Non", redshift: z, snrG: exp(random.uniform(log(1)...log(10))),
            continuum: continuum, lines: lines.filter { $0.2 != 0 }, bands: [])
    }

    static func qso(random: inout SeededRandom) -> SyntheticSpectrum {
        let z = random.uniform(0.3...3)
        let width = random.uniform(25...50)
        let lines: [(Double, Double, Double)] = [
            (1549.0, width, -random.uniform(30...80)), (1909.0, width, -random.uniform(15...40)), (2799.0, width, -random.uniform(25...60)),
            (4862.69, width, -random.uniform(40...90)), (6564.61, width * 1.2, -random.uniform(150...350)), (5008.2, 4, -random.uniform(5...20)),
        ]
        let slope = random.uniform(-1.8 ... -1.2)
        return SyntheticSpectrum(
            kind: .qso, objectClass: "QSO", subclass: "Non", redshift: z, snrG: exp(random.uniform(log(1)...log(10))),
            continuum: { rest in 1e15 * pow(rest / 5000, slope) }, lines: lines, bands: [])
    }
}
