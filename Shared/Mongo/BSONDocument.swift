internal import CMongoc
import Foundation

/// An owned `bson_t`, made from and read back to JSON (MongoDB relaxed extended JSON).
///
/// Codable values become BSON by way of JSON, which keeps the conversion exact for the
/// strings, numbers, booleans, arrays and objects our documents hold. Never leaves the module.
final class BSONDocument {
    let handle: OpaquePointer

    init() {
        handle = bson_new()
    }

    init(json: String, collection: String) throws(MongoError) {
        var error = bson_error_t()
        let bytes = Array(json.utf8)
        guard let handle = bytes.withUnsafeBufferPointer({ bson_new_from_json($0.baseAddress, bytes.count, &error) }) else {
            throw .conversion(collection: collection, message: error.text)
        }
        self.handle = handle
    }

    convenience init(_ value: some Encodable, collection: String) throws(MongoError) {
        let data: Data
        do {
            data = try BSONDocument.encoder.encode(value)
        } catch {
            throw .conversion(collection: collection, message: "\(error)")
        }
        try self.init(json: String(decoding: data, as: UTF8.self), collection: collection)
    }

    deinit {
        bson_destroy(handle)
    }

    /// The document as relaxed extended JSON.
    static func json(of document: OpaquePointer) -> String {
        var length = 0
        guard let text = bson_as_relaxed_extended_json(document, &length) else { return "{}" }
        defer { bson_free(text) }
        return String(cString: text)
    }

    static func decode<T: Decodable>(_ type: T.Type, from document: OpaquePointer, collection: String) throws(MongoError) -> T {
        let json = json(of: document)
        do {
            return try decoder.decode(T.self, from: Data(json.utf8))
        } catch {
            throw .conversion(collection: collection, message: "\(error) in \(json.prefix(300))")
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension bson_error_t {
    /// The fixed-size C message buffer as a Swift string.
    var text: String {
        var message = self.message
        return withUnsafeBytes(of: &message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
