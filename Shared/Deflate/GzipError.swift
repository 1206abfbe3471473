/// A gzip stream that could not be inflated, with libdeflate's reason.
public struct GzipError: Error, CustomStringConvertible, Sendable, Equatable {
    public var name: String
    public var reason: String

    public var description: String { "\(name): \(reason)" }
}
