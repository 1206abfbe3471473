/// A small deterministic random number generator (SplitMix64), so that a model trained twice
/// on the same data with the same seed is the same model on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// An independent stream for the `index`-th tree or fold of a run seeded with `seed`.
    public init(seed: UInt64, stream index: Int) {
        var mixer = SeededGenerator(seed: seed ^ (0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1)))
        state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
