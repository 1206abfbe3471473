import Streams

/// The message the benchmark sends: a body the size of a typical pipeline event.
struct BenchMessage: StreamMessage {
    static let stream = "bench"
    static let type = "bench.message"
    static let version = 1
    var number: Int
    var payload: String
    var idempotencyKey: String { "bench-\(number)" }

    static func numbered(_ number: Int) -> BenchMessage {
        BenchMessage(number: number, payload: filler)
    }

    private static let filler = String(repeating: "x", count: 160)
}
