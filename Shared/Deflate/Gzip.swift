internal import CDeflate

/// Whole-buffer gzip decompression with libdeflate.
///
/// Spectra arrive as `.fits.gz`. cfitsio inflates them with zlib inside `ffopen`, holding its
/// process-wide lock, so threads reading spectra took turns; libdeflate inflates a whole
/// buffer 1.4–1.8× faster than zlib and runs outside that lock.
public enum Gzip {
    /// True when `bytes` start with the gzip magic number.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 18 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates every member of a gzip stream (concatenated members are one file, as `gunzip`
    /// has it) and checks each member's CRC-32 and length. Bytes after the last member that do
    /// not start another are ignored.
    ///
    /// - Parameters:
    ///   - name: names the input in errors.
    ///   - limit: the most bytes the output may have (a gzip bomb stops here).
    public static func decompress(_ bytes: [UInt8], name: String, limit: Int = 1 << 30) throws(GzipError) -> [UInt8] {
        guard isCompressed(bytes) else { throw GzipError(name: name, reason: "not gzip data (no 1f 8b header)") }
        guard let decompressor = libdeflate_alloc_decompressor() else {
            throw GzipError(name: name, reason: "libdeflate could not allocate a decompressor")
        }
        defer { libdeflate_free_decompressor(decompressor) }
        var output: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            let member = try decompressMember(bytes, from: offset, decompressor: decompressor, name: name, room: limit - output.count)
            if output.isEmpty { output = member.output } else { output += member.output }
            offset += member.consumed
            // Another member follows only if it starts with the magic number; anything else
            // after the last member (zero padding, trailing garbage) is ignored, as gunzip and
            // cfitsio do.
            guard bytes.count - offset >= 18, bytes[offset] == 0x1f, bytes[offset + 1] == 0x8b else { break }
        }
        return output
    }

    /// One member: its size from the ISIZE trailer (the length mod 2³²) as the first guess,
    /// growing the buffer when the guess was short. The trailer of a truncated or corrupt file
    /// is arbitrary bytes, so the guess is never above what DEFLATE can expand to (1032:1).
    private static func decompressMember(
        _ bytes: [UInt8], from offset: Int, decompressor: OpaquePointer, name: String, room: Int
    ) throws(GzipError) -> (output: [UInt8], consumed: Int) {
        let trailer = bytes.count - 4
        let largest = 1032 * (bytes.count - offset)
        let stated = Int(UInt32(bytes[trailer]) | UInt32(bytes[trailer + 1]) << 8 | UInt32(bytes[trailer + 2]) << 16 | UInt32(bytes[trailer + 3]) << 24)
        var capacity = offset == 0 && stated <= largest ? stated : 4 * (bytes.count - offset)
        capacity = min(max(capacity, 64), room)
        while true {
            var consumed = 0
            var result = LIBDEFLATE_SUCCESS
            // Uninitialised: libdeflate writes every byte it reports as produced.
            let output = [UInt8](unsafeUninitializedCapacity: capacity) { out, initialized in
                var produced = 0
                result = bytes.withUnsafeBytes { input in
                    libdeflate_gzip_decompress_ex(
                        decompressor, input.baseAddress! + offset, input.count - offset, out.baseAddress, out.count, &consumed, &produced)
                }
                initialized = result == LIBDEFLATE_SUCCESS ? produced : 0
            }
            switch result {
            case LIBDEFLATE_SUCCESS:
                return (output, consumed)
            case LIBDEFLATE_INSUFFICIENT_SPACE where capacity < min(room, largest):
                capacity = min(room, largest, max(2 * capacity, 1 << 16))
            case LIBDEFLATE_INSUFFICIENT_SPACE where capacity >= room:
                throw GzipError(name: name, reason: "inflates to more than \(room) bytes")
            case LIBDEFLATE_BAD_DATA, LIBDEFLATE_INSUFFICIENT_SPACE:
                throw GzipError(name: name, reason: "corrupt or truncated gzip data at byte \(offset) (libdeflate: bad data)")
            default:
                throw GzipError(name: name, reason: "libdeflate failed with result \(result.rawValue)")
            }
        }
    }
}
