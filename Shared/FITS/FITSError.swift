internal import CFitsio
import Foundation

/// A cfitsio failure: which file, what we were doing, cfitsio's status and its own words.
public struct FITSError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var operation: String
    /// cfitsio's status code (104 = could not open, 107 = tried to move past end of file …).
    public var status: Int32
    public var message: String

    public var description: String {
        "\(path): \(operation) failed: \(message) (cfitsio status \(status))"
    }

    /// Builds the error from a cfitsio status, draining cfitsio's message stack for detail.
    init(path: String, operation: String, status: Int32) {
        self.path = path
        self.operation = operation
        self.status = status
        var text = [CChar](repeating: 0, count: 32)
        ffgerr(status, &text)
        var messages = [String(decoding: text.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)]
        var detail = [CChar](repeating: 0, count: 96)
        while ffgmsg(&detail) != 0 {
            let line = String(decoding: detail.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
                .trimmingCharacters(in: .whitespaces)
            if !line.isEmpty, !messages.contains(line) { messages.append(line) }
        }
        message = messages.joined(separator: "; ")
    }

    /// An error found by the wrapper itself (a missing keyword, a wrong shape).
    public init(path: String, operation: String, message: String) {
        self.path = path
        self.operation = operation
        self.status = 0
        self.message = message
    }
}
