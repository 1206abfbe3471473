import Foundation
import Streams

/// `redis-benchmark` sending the very same XADD the producer sends (same fields, same sizes),
/// on the same server, as the raw rate to compare against.
struct RedisBenchmarkBaseline {
    var host: String
    var port: Int
    var requests: Int

    /// Requests per second reported by `redis-benchmark` with `clients` connections and `pipeline` commands per round trip.
    func xaddRate(stream: String, clients: Int, pipeline: Int) throws -> Double {
        let envelope = try BenchMessage.numbered(1).envelope(trace: Envelope.newTrace(), producer: "stream-bench")
        let process = Process()
        process.executableURL = try Self.locate("redis-benchmark")
        process.arguments = [
            "-h", host, "-p", String(port), "-n", String(requests), "-c", String(clients), "-P", String(pipeline), "--csv",
            "XADD", stream, "MAXLEN", "~", "1000000", "*",
        ] + envelope.fields.flatMap { [$0.0, $0.1] }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        while process.isRunning { usleep(10_000) }
        // CSV: a header line, then "test","rps",… for our one test.
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        guard process.terminationStatus == 0, lines.count >= 2,
            let rps = Self.requestsPerSecond(csvLine: String(lines[1]))
        else { throw BenchError(text: "redis-benchmark failed (status \(process.terminationStatus)): \(lines.joined(separator: " "))") }
        return rps
    }

    static func locate(_ tool: String) throws -> URL {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return URL(fileURLWithPath: path) }
        }
        throw BenchError(text: "\(tool) not found on PATH (apt-get install redis-tools)")
    }

    /// The rps column of a CSV result line: `"<command>","rps","avg",…` with seven numeric columns
    /// after the command, which itself may hold commas and quotes, so count from the right.
    static func requestsPerSecond(csvLine line: String) -> Double? {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count >= 8 else { return nil }
        return Double(fields[fields.count - 7].trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
    }
}

struct BenchError: Error, CustomStringConvertible {
    var text: String
    var description: String { text }
}
