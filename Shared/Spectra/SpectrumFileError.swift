/// A spectrum file that cannot be used, naming the file and why. Never worth retrying:
/// the same bytes give the same answer.
public struct SpectrumFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}
