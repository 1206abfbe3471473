import Deflate
import Foundation

/// The lines of a JSON-lines file of papers (`.jsonl`, or gzip-compressed `.jsonl.gz`), each
/// with its 1-based number, read as bytes: what `ArxivMetadataReader` decodes.
public enum ArxivMetadataFile {
    /// Calls `body` for each non-empty line, in order.
    public static func forEachLine(path: String, _ body: (_ number: Int, _ line: ArraySlice<UInt8>) throws -> Void) throws {
        var lines = try LineReader(path: path)
        while let (number, line) = try lines.next() { try body(number, line[...]) }
    }

    /// Reads a file line by line. A plain file is read a megabyte at a time, so a file of many
    /// gigabytes (the arXiv snapshot, uncompressed) never sits in memory; a gzip-compressed one
    /// is inflated whole first (libdeflate inflates buffers, not streams).
    public struct LineReader {
        private let path: String
        private var handle: FileHandle?
        private var buffer: [UInt8] = []
        private var position = 0
        private var finished = false
        private var number = 0

        public init(path: String) throws {
            self.path = path
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ArxivMetadataFileError(path: path, reason: "cannot read the file (no such file, or not readable)")
            }
            let head = try Self.read(handle, path: path, count: 1 << 16)
            if Gzip.isCompressed(head) {
                let whole = head + (try Self.read(handle, path: path, count: nil))
                do { buffer = try Gzip.decompress(whole, name: path, limit: 16 << 30) } catch {
                    throw ArxivMetadataFileError(path: path, reason: "\(error.reason)")
                }
                try? handle.close()
                finished = true
            } else {
                buffer = head
                self.handle = handle
            }
        }

        /// The next non-empty line (without its line break) and its number, or nil at the end.
        public mutating func next() throws -> (number: Int, line: [UInt8])? {
            while true {
                if let newline = buffer[position...].firstIndex(of: 0x0A) {
                    number += 1
                    var line = Array(buffer[position..<newline])
                    position = newline + 1
                    if line.last == 0x0D { line.removeLast() }
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                    return (number, line)
                }
                guard !finished, let handle else {
                    // The last line, without a line break.
                    guard position < buffer.count else { return nil }
                    number += 1
                    var line = Array(buffer[position...])
                    position = buffer.count
                    if line.last == 0x0D { line.removeLast() }
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
                    return (number, line)
                }
                let more = try Self.read(handle, path: path, count: 1 << 20)
                buffer.removeFirst(position)
                position = 0
                if more.isEmpty {
                    finished = true
                    try? handle.close()
                    self.handle = nil
                } else {
                    buffer.append(contentsOf: more)
                }
            }
        }

        private static func read(_ handle: FileHandle, path: String, count: Int?) throws -> [UInt8] {
            do {
                let data = try count.map { try handle.read(upToCount: $0) } ?? handle.readToEnd()
                return data.map { [UInt8]($0) } ?? []
            } catch {
                throw ArxivMetadataFileError(path: path, reason: "cannot read the file (\(error.localizedDescription))")
            }
        }
    }
}

public struct ArxivMetadataFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}
