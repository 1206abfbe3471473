import Foundation

/// An array of numbers carried in JSON as base64 of little-endian float32: a spectrum's 3,889
/// values take 21 KB instead of ~60 KB of decimal text, and a text model's weights a quarter of
/// their decimal size; they decode without parsing numbers.
public struct PackedFloats: Codable, Sendable, Hashable {
    public var values: [Float]

    public init(_ values: [Float]) { self.values = values }
    public init(_ values: [Double]) { self.values = values.map(Float.init) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not base64 float32 data"))
        }
        values = data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        // One copy of the whole array: appending 4 bytes at a time cost a quarter of the
        // preprocessor's CPU (Data's per-append bookkeeping), more than the arithmetic.
        let words = values.map { $0.bitPattern.littleEndian }  // a closure: a key path here is not optimised away
        let data = words.withUnsafeBytes { Data($0) }
        var container = encoder.singleValueContainer()
        try container.encode(data.base64EncodedString())
    }
}
