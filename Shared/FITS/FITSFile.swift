internal import CFitsio
import Deflate
import Foundation

/// An open FITS file. Owns its `fitsfile` handle; close it with `close()` or let it go.
///
/// Not `Sendable`: one task uses a file at a time. Different files may be used on different
/// threads at once (Debian's cfitsio is built reentrant: `fits_is_reentrant()` is 1).
/// Gzip-compressed files (`spec-….fits.gz`) are inflated here, not by cfitsio: cfitsio would
/// inflate them inside `ffopen` holding its process-wide lock, and threads took turns.
public final class FITSFile {
    public let path: String
    private var handle: UnsafeMutablePointer<fitsfile>?
    /// The bytes of a file opened from memory; released after `ffclos`.
    private var memory: MemoryFile?

    private init(path: String, handle: UnsafeMutablePointer<fitsfile>, memory: MemoryFile? = nil) {
        self.path = path
        self.handle = handle
        self.memory = memory
    }

    deinit {
        var status: Int32 = 0
        if let handle { ffclos(handle, &status) }
    }

    /// Opens an existing file read-only, positioned at the primary HDU. The file is read into
    /// memory (a gzip-compressed one inflated, by its magic number as cfitsio would) and cfitsio
    /// reads it from there, so a path is never taken for cfitsio's extended file-name syntax
    /// (`plan[2]/spec.fits` is a directory, not a row filter). A corrupt `.gz` fails here,
    /// naming the file.
    public static func open(_ path: String) throws(FITSError) -> FITSFile {
        if let data = FileManager.default.contents(atPath: path) {
            return try open(contents: [UInt8](data), name: path)
        }
        // Unreadable: cfitsio's own error (and its habit of trying `path.gz`).
        var status: Int32 = 0
        var handle: UnsafeMutablePointer<fitsfile>?
        ffopen(&handle, path, READONLY, &status)
        guard status == 0, let handle else { throw FITSError(path: path, operation: "open", status: status) }
        return FITSFile(path: path, handle: handle)
    }

    /// Opens a file's contents as read from disk or fetched: inflated first when gzip-compressed
    /// (by its magic number), then read from memory; `name` names it in errors.
    public static func open(contents: [UInt8], name: String) throws(FITSError) -> FITSFile {
        guard Gzip.isCompressed(contents) else { return try open(bytes: contents, name: name) }
        let inflated: [UInt8]
        do {
            inflated = try Gzip.decompress(contents, name: name)
        } catch {
            throw FITSError(path: name, operation: "inflate", message: error.reason)
        }
        return try open(bytes: inflated, name: name)
    }

    /// Opens a FITS file held in memory, read-only; `name` names it in errors.
    public static func open(bytes: [UInt8], name: String) throws(FITSError) -> FITSFile {
        let memory = MemoryFile(bytes)
        var status: Int32 = 0
        var handle: UnsafeMutablePointer<fitsfile>?
        // cfitsio parses the name as an extended file name (`file.fits[2]` moves to HDU 2), so it
        // gets a fixed one; `name` is only for errors.
        ffomem(&handle, "memory.fits", READONLY, memory.address, memory.size, 0, nil, &status)
        guard status == 0, let handle else {
            // ffomem can fail after opening (moving to an HDU) and leave the file open.
            if let handle {
                var closeStatus: Int32 = 0
                ffclos(handle, &closeStatus)
            }
            throw FITSError(path: name, operation: "open", status: status)
        }
        return FITSFile(path: name, handle: handle, memory: memory)
    }

    /// Creates a new file, replacing any file at `path`.
    public static func create(_ path: String) throws(FITSError) -> FITSFile {
        var status: Int32 = 0
        var handle: UnsafeMutablePointer<fitsfile>?
        ffinit(&handle, "!" + path, &status)
        guard status == 0, let handle else { throw FITSError(path: path, operation: "create", status: status) }
        return FITSFile(path: path, handle: handle)
    }

    /// Flushes and closes the file; errors on write-back surface here.
    public func close() throws(FITSError) {
        guard let handle else { return }
        var status: Int32 = 0
        ffclos(handle, &status)
        self.handle = nil
        memory = nil
        if status != 0 { throw FITSError(path: path, operation: "close", status: status) }
    }

    /// Throws unless `bytes` bytes from the start of the current HDU's data lie within the
    /// file (nil: more than an `Int` holds, which no file does).
    ///
    /// Asked before every read of data, with the size computed here from the header, overflow
    /// checked: what a header declares is what a read allocates and what cfitsio reads, and
    /// cfitsio's own idea of where the data ends can be made small by the header (`THEAP`, a
    /// product of axes that wraps). Fuzzing found a spectrum whose BITPIX -32, changed to -64,
    /// made the memory driver read past the buffer. A file on disk (written here) needs no
    /// check: cfitsio's file driver stops at its end.
    func requireData(_ bytes: Int?, _ operation: @autoclosure () -> String) throws(FITSError) {
        guard let memory else { return }
        var headStart: LONGLONG = 0, dataStart: LONGLONG = 0, dataEnd: LONGLONG = 0
        try call(operation()) { ffghadll($0, &headStart, &dataStart, &dataEnd, &$1) }
        let available = memory.size.pointee - Int(dataStart)
        guard let bytes, bytes <= available else {
            throw FITSError(
                path: path, operation: operation(),
                message: "the header declares \(bytes.map { "\($0) bytes" } ?? "more bytes than can be counted") of data from byte \(dataStart), "
                    + "but the file holds \(memory.byteCount) bytes (truncated or corrupt)")
        }
    }

    /// Runs a cfitsio call with a fresh status and throws if it fails.
    func call(_ operation: @autoclosure () -> String, _ body: (UnsafeMutablePointer<fitsfile>, inout Int32) -> Int32) throws(FITSError) {
        guard let handle else { throw FITSError(path: path, operation: operation(), message: "file is closed") }
        var status: Int32 = 0
        _ = body(handle, &status)
        if status != 0 { throw FITSError(path: path, operation: operation(), status: status) }
    }

    // MARK: - HDUs

    public func hduCount() throws(FITSError) -> Int {
        var count: Int32 = 0
        try call("count HDUs") { ffthdu($0, &count, &$1) }
        return Int(count)
    }

    /// Moves to HDU `number` (1 is the primary HDU).
    public func moveTo(hdu number: Int) throws(FITSError) {
        var type: Int32 = 0
        try call("move to HDU \(number)") { ffmahd($0, Int32(number), &type, &$1) }
    }

    /// Moves to the extension whose EXTNAME is `name` (`COADD`).
    public func moveTo(extension name: String) throws(FITSError) {
        var mutableName = Array(name.utf8CString)
        try call("move to extension \(name)") { ffmnhd($0, ANY_HDU, &mutableName, 0, &$1) }
    }

    // MARK: - Keywords

    /// Every card of the current HDU's header.
    public func header() throws(FITSError) -> FITSHeader {
        var count: Int32 = 0
        var more: Int32 = 0
        try call("read header size") { ffghsp($0, &count, &more, &$1) }
        var cards: [FITSCard] = []
        cards.reserveCapacity(Int(count))
        var name = [CChar](repeating: 0, count: Int(FLEN_KEYWORD))
        var value = [CChar](repeating: 0, count: Int(FLEN_VALUE))
        var comment = [CChar](repeating: 0, count: Int(FLEN_COMMENT))
        for position in 1...max(1, count) where count > 0 {
            try call("read keyword \(position)") { ffgkyn($0, position, &name, &value, &comment, &$1) }
            cards.append(FITSCard(name: Self.string(name), value: FITSValue(card: Self.string(value)), comment: Self.string(comment)))
        }
        return FITSHeader(cards: cards)
    }

    /// Writes (or replaces) a keyword in the current HDU.
    public func write(keyword: String, _ value: FITSValue, comment: String = "") throws(FITSError) {
        try call("write keyword \(keyword)") { handle, status in
            switch value {
            case .string(let text): ffukys(handle, keyword, text, comment, &status)
            case .integer(let number): ffukyj(handle, keyword, LONGLONG(number), comment, &status)
            case .double(let number): ffukyd(handle, keyword, number, -15, comment, &status)
            case .logical(let flag): ffukyl(handle, keyword, flag ? 1 : 0, comment, &status)
            case .undefined: ffukyu(handle, keyword, comment, &status)
            }
        }
    }

    static func string(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: UInt8.self) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
    }
}

/// Memory that cfitsio reads a file from. cfitsio keeps the *addresses* of the buffer pointer
/// and of the size (it may grow a writable buffer through them), so both live on the heap
/// beside the buffer, for as long as the file is open.
///
/// The buffer is padded with zeros to whole 2880-byte FITS records (what a file's padding
/// holds): cfitsio reads whole records, and a file cut inside its last record's padding is
/// read as if it were complete.
private final class MemoryFile {
    let address: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    let size: UnsafeMutablePointer<Int>
    /// The file's own length, before the padding.
    let byteCount: Int
    private let buffer: UnsafeMutableRawPointer

    init(_ bytes: [UInt8]) {
        let padded = max(1, (bytes.count + 2879) / 2880) * 2880
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: padded, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: padded)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
        }
        self.buffer = buffer
        byteCount = bytes.count
        address = .allocate(capacity: 1)
        address.initialize(to: buffer)
        size = .allocate(capacity: 1)
        size.initialize(to: padded)
    }

    deinit {
        address.deallocate()
        size.deallocate()
        buffer.deallocate()
    }
}
