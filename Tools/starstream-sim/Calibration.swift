/// Per-letter corrections of the simulator's line strengths, measured on the shared real
/// spectra (`../shared/fixtures/lamost-real`, LAMOST DR1/DR2/DR10, training data only — never
/// a test set): each factor is the real spectra's median measured equivalent width over the
/// simulated spectra's, for that letter and line, multiplied into what the simulator puts in.
/// Real cool stars crowd their blue with metal lines, so the measured Hγ and Hδ of G–M stars
/// are near zero and their Ca II triplet is two to three times what textbook values gave.
/// Letters without real examples (O, B) are left as they were. Recompute with
/// `python3 Tools/starstream-sim/calibrate.py FEATURES.csv` on the export of
/// `trainer evaluate --train ../shared/fixtures/lamost-real --train SIM --folds 5 --export-features FEATURES.csv`
/// (it prints each factor times the ratio still measured).
enum Calibration {
    enum Line: Hashable { case hAlpha, hBeta, hGamma, hDelta, calciumK, calciumH, gBand, magnesium, sodium, tripletCalcium }

    static let factors: [Character: [Line: Double]] = [
        "A": [.hAlpha: 0.92, .hBeta: 0.86, .hGamma: 0.92, .hDelta: 0.96, .calciumK: 0.84, .sodium: 3.2, .tripletCalcium: 1.5],
        "F": [.hAlpha: 0.85, .hBeta: 0.64, .hGamma: 0.53, .hDelta: 0.52, .calciumK: 1.58, .calciumH: 1.26, .gBand: 1.81, .sodium: 1.37, .tripletCalcium: 2.77],
        "G": [.hAlpha: 1.31, .hBeta: 0.82, .hGamma: 0.07, .hDelta: 0.22, .calciumK: 1.56, .calciumH: 1.41, .gBand: 1.12, .sodium: 0.9, .tripletCalcium: 2.5],
        "K": [.hAlpha: 1.94, .hBeta: 0.3, .hGamma: 0.05, .hDelta: 0.05, .calciumK: 0.64, .calciumH: 0.74, .gBand: 0.87, .magnesium: 0.71, .tripletCalcium: 2.1],
        "M": [.hAlpha: 2.9, .hBeta: 0.05, .hGamma: 0.05, .hDelta: 1.1, .calciumK: 0.23, .calciumH: 0.21, .gBand: 0.77, .magnesium: 1.16, .sodium: 1.22, .tripletCalcium: 1.9],
    ]

    static func factor(_ letter: Character, _ line: Line) -> Double {
        factors[letter]?[line] ?? 1
    }
}
