import Contracts
import Foundation
import Redis

/// One entry of a `<stream>.dlq`, as the API shows it.
struct DeadLetter: Codable, Sendable, Equatable {
    var id: String
    var error: String
    var sourceStream: String
    var sourceId: String
    var group: String
    var consumer: String
    var deliveries: Int
    var at: String
    /// The envelope's `type`, `v`, `id` and `trace`, so a letter can be told apart without its body.
    var type: String?
    var version: String?
    var messageId: String?
    var trace: String?
    /// Every original field (the body included); only when one letter is asked for.
    var fields: [String: String]?

    enum CodingKeys: String, CodingKey {
        case id, error, sourceStream = "source_stream", sourceId = "source_id", group, consumer, deliveries, at, type, version
        case messageId = "message_id", trace, fields
    }

    init(_ entry: StreamEntry, withFields: Bool) {
        let fields = entry.fields
        id = entry.id
        error = fields["dlq_error"] ?? ""
        sourceStream = fields["dlq_source_stream"] ?? ""
        sourceId = fields["dlq_source_id"] ?? ""
        group = fields["dlq_group"] ?? ""
        consumer = fields["dlq_consumer"] ?? ""
        deliveries = Int(fields["dlq_deliveries"] ?? "") ?? 0
        at = fields["dlq_at"] ?? ""
        (type, version, messageId, trace) = (fields["type"], fields["v"], fields["id"], fields["trace"])
        self.fields = withFields ? fields.filter { !$0.key.hasPrefix("dlq_") } : nil
    }
}

struct DeadLetterPage: Codable, Sendable {
    var stream: String
    var total: Int
    var items: [DeadLetter]
    /// Pass as `cursor` for the next page; absent on the last.
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case stream, total, items, nextCursor = "next_cursor" }
}

struct DeadLetterCount: Codable, Sendable {
    var stream: String
    var deadLetters: Int
    enum CodingKeys: String, CodingKey { case stream, deadLetters = "dead_letters" }
}

/// Reads, replays and purges the dead-letter streams. They belong to the stream runtime, not to
/// any one service, so the gateway works on them in Redis directly.
struct DeadLetterStore: Sendable {
    let redis: RedisConnection

    /// The source stream named in a path, or a 404 naming it.
    static func stream(_ name: String) throws -> String {
        guard StreamName.all.contains(name) else {
            throw Problem.notFound("no stream named '\(name)'; streams: \(StreamName.all.joined(separator: ", "))")
        }
        return name
    }

    func counts() async throws -> [DeadLetterCount] {
        let replies = try await redis.pipeline(StreamName.all.map { ["XLEN", $0 + ".dlq"] })
        return zip(StreamName.all, replies).map { DeadLetterCount(stream: $0, deadLetters: $1.int ?? 0) }
    }

    /// Oldest first; `cursor` is the last id of the previous page.
    func page(stream: String, cursor: String?, limit: Int) async throws -> DeadLetterPage {
        let start = cursor.map { "(" + $0 } ?? "-"
        // A cursor at or past the largest id Redis can hold (halves of 64 bits) has nothing after it.
        let halves = cursor?.split(separator: "-").map { UInt64($0) } ?? []
        let entries = halves.contains(where: { $0 == nil }) || halves == [UInt64.max, UInt64.max]
            ? [] : try await redis.xrange(stream + ".dlq", start: start, count: limit + 1)
        let items = entries.prefix(limit).map { DeadLetter($0, withFields: false) }
        let total = try await redis.xlen(stream + ".dlq")
        return DeadLetterPage(stream: stream, total: total, items: Array(items), nextCursor: entries.count > limit ? items.last?.id : nil)
    }

    func letter(stream: String, id: String) async throws -> DeadLetter? {
        try await redis.xrange(stream + ".dlq", start: id, end: id, count: 1).first.map { DeadLetter($0, withFields: true) }
    }

    /// Reads the letter, publishes its original fields on the source stream and deletes it, in
    /// one script, so that two replays of one letter publish it once and a failed XADD deletes
    /// nothing. Every group of the source stream sees it again; the groups that had handled it
    /// apply it again to the same effect (handlers are idempotent by the envelope's `id`, which
    /// is kept with its trace, or by a natural key).
    static let replayScript = """
        local letter = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if #letter == 0 then return false end
        local fields, original = letter[1][2], {}
        for i = 1, #fields, 2 do
          if string.sub(fields[i], 1, 4) ~= 'dlq_' then
            table.insert(original, fields[i]); table.insert(original, fields[i + 1])
          end
        end
        local id = redis.call('XADD', KEYS[2], '*', unpack(original))
        redis.call('XDEL', KEYS[1], ARGV[1])
        return id
        """

    /// Replays one letter; returns the new entry id, or nil when there is no such letter.
    func replay(stream: String, id: String) async throws -> String? {
        let reply = try await redis.command("EVAL", Self.replayScript, "2", stream + ".dlq", stream, id)
        return reply.string
    }

    /// Replays the letters of `stream` that were there when the call began, oldest first (one
    /// that fails again meanwhile comes back with a newer id and waits for the next call);
    /// returns how many.
    func replayAll(stream: String) async throws -> Int {
        guard let newest = try await redis.command("XREVRANGE", stream + ".dlq", "+", "-", "COUNT", "1").array?.first?.array?.first?.string else {
            return 0
        }
        var replayed = 0
        var cursor = "-"
        while true {
            let batch = try await redis.xrange(stream + ".dlq", start: cursor, end: newest, count: 100)
            if batch.isEmpty { return replayed }
            for entry in batch where try await replay(stream: stream, id: entry.id) != nil { replayed += 1 }
            cursor = "(" + batch.last!.id
        }
    }

    func delete(stream: String, id: String) async throws -> Bool {
        try await redis.command("XDEL", stream + ".dlq", id).int == 1
    }

    /// Removes every letter of `stream`; returns how many there were.
    func purge(stream: String) async throws -> Int {
        let replies = try await redis.pipeline([["MULTI"], ["XLEN", stream + ".dlq"], ["DEL", stream + ".dlq"], ["EXEC"]])
        return replies.last?.array?.first?.int ?? 0
    }
}
