/// Which pixels of a spectrum can be trusted.
public enum Masking {
    /// A pixel is bad when the pipeline flagged it in every exposure (`andmask ≠ 0`), when it
    /// has no weight (`ivar ≤ 0`), or when flux or weight is not a finite number.
    public static func goodPixels(flux: [Float], inverseVariance: [Float], andMask: [Float]) -> [Bool] {
        (0..<flux.count).map { index in
            let ivar = inverseVariance[index]
            let mask = index < andMask.count ? andMask[index] : 0
            return flux[index].isFinite && ivar.isFinite && ivar > 0 && mask == 0
        }
    }
}
