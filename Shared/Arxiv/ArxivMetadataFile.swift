import Deflate
import Foundation

/// The lines of a JSON-lines file of papers (`.jsonl`, or gzip-compressed `.jsonl.gz`), each
/// with its 1-based number, read as bytes: what `ArxivMetadataReader` decodes.
public enum ArxivMetadataFile {
    /// Calls `body` for each non-empty line, in order.
    public static func forEachLine(
        path: String, _ body: (_ number: Int, _ line: ArraySlice<UInt8>) throws -> Void
    ) throws {
        var bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped))
        } catch {
            throw ArxivMetadataFileError(path: path, reason: "cannot read the file (\(error.localizedDescription))")
        }
        if Gzip.isCompressed(bytes) {
            do { bytes = try Gzip.decompress(bytes, name: path, limit: 16 << 30) } catch {
                throw ArxivMetadataFileError(path: path, reason: "\(error.reason)")
            }
        }
        var number = 0, start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            number += 1
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { try body(number, line) }
            start = end + 1
        }
    }
}

public struct ArxivMetadataFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
