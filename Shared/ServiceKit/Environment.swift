import Foundation

/// A setting that could not be used, naming the environment variable.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var variable: String
    public var value: String
    public var expected: String

    public init(variable: String, value: String, expected: String) {
        (self.variable, self.value, self.expected) = (variable, value, expected)
    }

    public var description: String { "invalid \(variable)='\(value)': expected \(expected)" }
}

/// Reads settings from environment variables; every read names its default, and a value
/// that does not parse is a `ConfigurationError` naming the variable (never a silent default).
public struct EnvironmentReader: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// The value, or `defaultValue` when unset or empty.
    public func string(_ name: String, default defaultValue: String) -> String {
        guard let value = values[name], !value.isEmpty else { return defaultValue }
        return value
    }

    public func optionalString(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    public func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int> = Int.min...Int.max) throws(ConfigurationError) -> Int {
        guard let text = values[name], !text.isEmpty else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            let bounds = range == Int.min...Int.max ? "an integer" : "an integer in \(range.lowerBound)...\(range.upperBound)"
            throw ConfigurationError(variable: name, value: text, expected: bounds)
        }
        return value
    }

    public func double(_ name: String, default defaultValue: Double, range: ClosedRange<Double> = -.greatestFiniteMagnitude...(.greatestFiniteMagnitude)) throws(ConfigurationError) -> Double {
        guard let text = values[name], !text.isEmpty else { return defaultValue }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ConfigurationError(variable: name, value: text, expected: "a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    public func bool(_ name: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let text = values[name]?.lowercased(), !text.isEmpty else { return defaultValue }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, value: text, expected: "true or false")
        }
    }

    /// A duration given in milliseconds (`RECLAIM_IDLE_MS=30000`).
    public func milliseconds(_ name: String, default defaultValue: Duration, range: ClosedRange<Int> = 1...86_400_000) throws(ConfigurationError) -> Duration {
        guard values[name]?.isEmpty == false else { return defaultValue }
        return .milliseconds(try int(name, default: 0, range: range))
    }

    /// One of a fixed set of words (`LOG_FORMAT=json|text`).
    public func choice(_ name: String, default defaultValue: String, among choices: [String]) throws(ConfigurationError) -> String {
        let value = string(name, default: defaultValue).lowercased()
        guard choices.contains(value) else {
            throw ConfigurationError(variable: name, value: value, expected: "one of " + choices.joined(separator: ", "))
        }
        return value
    }

    /// A comma-separated list (`LLM_LANGUAGES=fr,es,de`).
    public func list(_ name: String, default defaultValue: [String]) -> [String] {
        guard let text = values[name], !text.isEmpty else { return defaultValue }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
