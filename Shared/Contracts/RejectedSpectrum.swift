import Spectra
import Streams

/// A spectrum file that will never process (truncated, garbled, missing keywords, no usable
/// pixels): the spectra stages throw it so the message goes straight to the dead-letter stream.
public struct RejectedSpectrum: Error, NonRetryableError, CustomStringConvertible {
    public var error: SpectrumFileError

    public init(error: SpectrumFileError) { self.error = error }

    public var description: String { "rejected spectrum \(error)" }
}
