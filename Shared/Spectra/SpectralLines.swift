/// The lines the features measure, at their standard vacuum wavelengths (Å), with the band
/// widths used to measure them.
public struct SpectralLine: Sendable, Hashable {
    public var name: String
    public var center: Double
    /// Half width of the central band.
    public var halfWidth: Double
    /// Width of each side band, placed `gap` outside the central band.
    public var sideWidth: Double
    public var gap: Double
    /// Rest-frame side bands placed by hand where the symmetric ones would sit on a neighbour.
    public var blueBand: ClosedRange<Double>?
    public var redBand: ClosedRange<Double>?

    public init(
        _ name: String, _ center: Double, halfWidth: Double = 12, sideWidth: Double = 15, gap: Double = 3,
        blue: ClosedRange<Double>? = nil, red: ClosedRange<Double>? = nil
    ) {
        (self.name, self.center, self.halfWidth, self.sideWidth, self.gap) = (name, center, halfWidth, sideWidth, gap)
        (blueBand, redBand) = (blue, red)
    }

    public var bands: LineMeasurement.Bands { bands(redshift: 0) }

    public func bands(redshift: Double) -> LineMeasurement.Bands {
        var bands = LineMeasurement.Bands.around(center, halfWidth: halfWidth, sideWidth: sideWidth, gap: gap, redshift: redshift)
        let shift = 1 + redshift
        if let blueBand { bands.blue = (blueBand.lowerBound * shift)...(blueBand.upperBound * shift) }
        if let redBand { bands.red = (redBand.lowerBound * shift)...(redBand.upperBound * shift) }
        return bands
    }
}

extension SpectralLine {
    /// Stellar lines and bands (Balmer strongest in A; Ca II H&K and the G band in G/K; Mg b and
    /// Na D in K; TiO in M; He in O/B; the Ca II triplet in cool giants) and galaxy/QSO lines.
    public static let catalog: [SpectralLine] = [
        // Side bands clear of [N II] 6550 (and its wing) and 6585, which sat in the symmetric ones.
        SpectralLine("H_alpha", 6564.61, halfWidth: 15, blue: 6520...6540, red: 6600...6615),
        SpectralLine("H_beta", 4862.69, halfWidth: 15),
        SpectralLine("H_gamma", 4341.69, halfWidth: 12),
        SpectralLine("H_delta", 4102.90, halfWidth: 12),
        SpectralLine("CaII_K", 3934.77, halfWidth: 10, sideWidth: 12),
        SpectralLine("CaII_H", 3969.59, halfWidth: 8, sideWidth: 12),
        SpectralLine("G_band", 4301.0, halfWidth: 15),
        SpectralLine("Mg_b", 5176.0, halfWidth: 16, sideWidth: 15, gap: 5),
        // Blue side band clear of He I 5877.
        SpectralLine("Na_D", 5894.6, halfWidth: 10, blue: 5850...5865),
        SpectralLine("HeI_4472", 4472.7, halfWidth: 6),
        // Red side band past Na D (which sat in the symmetric one and read as He I emission in cool stars).
        SpectralLine("HeI_5877", 5877.3, halfWidth: 6, red: 5910...5925),
        SpectralLine("HeII_4687", 4687.0, halfWidth: 6),
        SpectralLine("TiO_6160", 6159.7, halfWidth: 20, sideWidth: 20),
        SpectralLine("TiO_7055", 7054.9, halfWidth: 25, sideWidth: 20),
        SpectralLine("TiO_7591", 7591.1, halfWidth: 25, sideWidth: 20),
        SpectralLine("CaT_8500", 8500.4, halfWidth: 8),
        SpectralLine("CaT_8544", 8544.4, halfWidth: 8),
        SpectralLine("CaT_8665", 8664.5, halfWidth: 8),
        SpectralLine("OII_3728", 3728.5, halfWidth: 8),
        SpectralLine("OIII_5008", 5008.2, halfWidth: 8),
        // Side bands clear of Hα's core and [N II] 6550 on the blue side, and of [S II] on the red.
        SpectralLine("NII_6585", 6585.3, halfWidth: 5, blue: 6500...6530, red: 6600...6615),
        SpectralLine("MgII_2799", 2799.0, halfWidth: 20, sideWidth: 20),
    ]
}
