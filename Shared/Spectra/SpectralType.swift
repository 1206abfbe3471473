import Foundation

/// LAMOST's SUBCLASS of a star read as an MK type: `A7III` is letter A, subtype 7, luminosity
/// class III; `dM1` and `gM0` (dwarf and giant M types, as DR1–DR10 spell them) are M1 and M0;
/// `sdM` is an M subdwarf without a subtype; `Non` (galaxies, quasars, unknowns) is no type.
public struct SpectralType: Codable, Sendable, Equatable {
    /// O, B, A, F, G, K or M.
    public var letter: String
    /// 0–9.5 where the survey gave one.
    public var subtype: Double?
    /// I, II, III, IV or V (with a or b), where the survey gave one.
    public var luminosityClass: String?
    /// `d`, `g` or `sd` before the letter (dwarf, giant, subdwarf), where written.
    public var prefix: String?

    enum CodingKeys: String, CodingKey {
        case letter, subtype, prefix, luminosityClass = "luminosity_class", index
    }

    public static let letters = ["O", "B", "A", "F", "G", "K", "M"]

    /// A continuous type for regression: O0 = 0, B0 = 10, A0 = 20 … M9 = 69; nil without a subtype.
    public var index: Double? {
        guard let subtype, let position = Self.letters.firstIndex(of: letter) else { return nil }
        return Double(position * 10) + subtype
    }

    public init?(subclass raw: String) {
        var rest = Substring(raw.trimmingCharacters(in: .whitespaces))
        for candidate in ["sd", "d", "g"] where rest.hasPrefix(candidate) {
            prefix = candidate
            rest = rest.dropFirst(candidate.count)
            break
        }
        guard let first = rest.first, Self.letters.contains(String(first)) else { return nil }
        letter = String(first)
        rest = rest.dropFirst()
        let digits = rest.prefix { $0.isNumber || $0 == "." }
        if !digits.isEmpty {
            guard let value = Double(digits), (0..<10).contains(value) else { return nil }
            subtype = value
            rest = rest.dropFirst(digits.count)
        }
        let roman = rest.prefix { "IVab".contains($0) }
        if roman.first == "I" || roman.first == "V" { luminosityClass = String(roman) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        letter = try container.decode(String.self, forKey: .letter)
        subtype = try container.decodeIfPresent(Double.self, forKey: .subtype)
        luminosityClass = try container.decodeIfPresent(String.self, forKey: .luminosityClass)
        prefix = try container.decodeIfPresent(String.self, forKey: .prefix)
    }

    /// Also writes `index`, for readers without this type.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(letter, forKey: .letter)
        try container.encodeIfPresent(subtype, forKey: .subtype)
        try container.encodeIfPresent(luminosityClass, forKey: .luminosityClass)
        try container.encodeIfPresent(prefix, forKey: .prefix)
        try container.encodeIfPresent(index, forKey: .index)
    }
}

extension SpectralType {
    /// The type a regressed index stands for, rounded to the nearest subtype and clamped to
    /// O0…M9: 53.4 → `K3` (`?` for a non-finite index).
    public static func name(index: Double) -> String {
        guard index.isFinite else { return "?" }
        let rounded = min(max(Int(index.rounded()), 0), letters.count * 10 - 1)
        return letters[rounded / 10] + String(rounded % 10)
    }
}
