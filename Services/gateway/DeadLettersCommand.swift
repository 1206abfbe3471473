import ArgumentParser
import Foundation
import HTTPClient

/// `gateway dead-letters list|replay|purge`: the dead-letter tools of the API, from a shell.
/// Replayed entries keep their message id and trace (the original fields are published again).
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters", abstract: "List, replay or purge dead letters through a running gateway.",
        subcommands: [List.self, Replay.self, Purge.self])

    struct Connection: ParsableArguments {
        @Option(help: "The gateway's base URL.") var gateway = "http://127.0.0.1:8080"
        @Option(help: "Bearer token (default: $GATEWAY_TOKEN; reads need one only when the gateway has GATEWAY_READ_TOKEN).")
        var token: String?

        func send(_ method: String, _ path: String) async throws -> [String: Any]? {
            var headers: [(String, String)] = []
            if let token = token ?? ProcessInfo.processInfo.environment["GATEWAY_TOKEN"], !token.isEmpty {
                headers.append(("Authorization", "Bearer \(token)"))
            }
            let response = try await HTTPClient.failingFast(requestTimeout: .seconds(60), connectTimeout: .seconds(3))
                .send(HTTPClientRequest(url: gateway + path, method: method, headers: headers))
            let body = response.body.isEmpty ? nil : try JSONSerialization.jsonObject(with: Data(response.body))
            guard (200..<300).contains(response.status) else {
                let detail = (body as? [String: Any])?["detail"] as? String ?? response.text
                throw ValidationError("\(method) \(path): \(response.status) \(detail)")
            }
            if let array = body as? [Any] { return ["items": array] }
            return body as? [String: Any]
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Counts per stream, or one stream's letters (oldest first).")
        @OptionGroup var connection: Connection
        @Option(help: "A source stream (spectra.downloaded); without it, the count of every stream.") var stream: String?

        func run() async throws {
            guard let stream else {
                for item in try await connection.send("GET", "/api/dead-letters")?["items"] as? [[String: Any]] ?? [] {
                    print("\(item["stream"] as? String ?? "")\t\(item["dead_letters"] as? Int ?? 0)")
                }
                return
            }
            var cursor: String?
            repeat {
                let page = try await connection.send("GET", "/api/dead-letters/\(stream)?limit=500" + (cursor.map { "&cursor=\($0)" } ?? ""))
                for letter in page?["items"] as? [[String: Any]] ?? [] {
                    let fields = ["id", "at", "type", "message_id", "trace"].map { letter[$0] as? String ?? "" }
                    print((fields + ["attempts \(letter["deliveries"] as? Int ?? 0)", letter["error"] as? String ?? ""]).joined(separator: "\t"))
                }
                cursor = page?["next_cursor"] as? String
            } while cursor != nil
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish letters back on their stream (and remove them from the dead letters).")
        @OptionGroup var connection: Connection
        @Option(help: "The source stream.") var stream: String
        @Option(help: "One letter's id.") var id: String?
        @Flag(help: "Every letter of the stream.") var all = false

        func validate() throws {
            if (id == nil) == !all { throw ValidationError("give either --id ID or --all") }
        }

        func run() async throws {
            let answer = try await connection.send("POST", "/api/dead-letters/\(stream)" + (id.map { "/\($0)" } ?? "") + "/replay")
            if let entry = answer?["entry_id"] as? String { print("replayed \(id ?? "") as \(stream) \(entry)") }
            if let count = answer?["replayed"] as? String { print("replayed \(count) letters onto \(stream)") }
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete one letter, or every letter of a stream.")
        @OptionGroup var connection: Connection
        @Option(help: "The source stream.") var stream: String
        @Option(help: "One letter's id (default: all of the stream).") var id: String?

        func run() async throws {
            let answer = try await connection.send("DELETE", "/api/dead-letters/\(stream)" + (id.map { "/\($0)" } ?? ""))
            print(id.map { "deleted \($0) from \(stream).dlq" } ?? "purged \(answer?["purged"] as? String ?? "0") letters from \(stream).dlq")
        }
    }
}
