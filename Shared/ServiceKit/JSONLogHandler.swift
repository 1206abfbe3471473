import Foundation
import Logging
import Synchronization

/// Writes one JSON object per line to standard output:
/// `{"ts":…,"level":…,"service":…,"msg":…, …metadata}` (or a readable line with `LOG_FORMAT=text`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let service: String
    let label: String
    let json: Bool

    public init(label: String, service: String, level: Logger.Level, json: Bool = true) {
        self.label = label
        self.service = service
        self.logLevel = level
        self.json = json
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let line = json ? jsonLine(event, fields) : textLine(event, fields)
        LogOutput.write(line)
    }

    private func jsonLine(_ event: LogEvent, _ fields: Logger.Metadata) -> String {
        var object: [String: Any] = [
            "ts": Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
            "level": event.level.rawValue, "service": service, "msg": "\(event.message)",
        ]
        if label != service { object["logger"] = label }
        for (key, value) in fields { object[key] = Self.plain(value) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return #"{"level":"error","msg":"unloggable event"}"#
        }
        return String(decoding: data, as: UTF8.self)
    }

    private func textLine(_ event: LogEvent, _ fields: Logger.Metadata) -> String {
        let details = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(Date().formatted(.iso8601)) \(event.level.rawValue.uppercased()) \(service): \(event.message)" + (details.isEmpty ? "" : " " + details)
    }

    private static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible):
            if let number = convertible as? Int { return number }
            if let number = convertible as? Double { return number.isFinite ? number : "\(number)" }
            if let flag = convertible as? Bool { return flag }
            return convertible.description
        case .array(let values): return values.map(plain)
        case .dictionary(let values): return values.mapValues(plain)
        }
    }
}

/// Serialises writes so lines from concurrent tasks never interleave.
enum LogOutput {
    private static let lock = Mutex(())

    static func write(_ line: String) {
        lock.withLock { _ in
            var bytes = Array(line.utf8)
            bytes.append(UInt8(ascii: "\n"))
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { if errno == EINTR { continue } else { return } }
                    offset += written
                }
            }
        }
    }
}
