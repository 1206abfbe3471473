/// The stream commands Starstream uses, with typed replies.
extension RedisConnection {
    /// `XADD stream [MAXLEN ~ n] id field value …`; returns the new entry's id.
    @discardableResult
    public func xadd(
        _ stream: String, fields: KeyValuePairs<String, String>, maxLength: Int? = nil, id: String = "*"
    ) throws(RedisError) -> String {
        try xadd(stream, fields: fields.map { ($0.key, $0.value) }, maxLength: maxLength, id: id)
    }

    @discardableResult
    public func xadd(
        _ stream: String, fields: [(String, String)], maxLength: Int? = nil, id: String = "*"
    ) throws(RedisError) -> String {
        let reply = try command(Self.xaddArguments(stream, fields: fields, maxLength: maxLength, id: id))
        guard let entryId = reply.string else { throw .unexpectedReply(command: "XADD", reply: reply) }
        return entryId
    }

    /// Adds many entries in one pipelined round trip; returns their ids in order.
    public func xaddBatch(
        _ stream: String, entries: [[(String, String)]], maxLength: Int? = nil
    ) throws(RedisError) -> [String] {
        let replies = try pipeline(entries.map { Self.xaddArguments(stream, fields: $0, maxLength: maxLength, id: "*") })
        var ids: [String] = []
        ids.reserveCapacity(replies.count)
        for reply in replies {
            if case .error(let message) = reply { throw .server(command: "XADD", message: message) }
            guard let id = reply.string else { throw .unexpectedReply(command: "XADD", reply: reply) }
            ids.append(id)
        }
        return ids
    }

    /// The arguments of one XADD, for callers that pipeline it with other commands (MULTI/EXEC).
    public static func xaddArguments(_ stream: String, fields: [(String, String)], maxLength: Int?, id: String) -> [String] {
        var arguments = ["XADD", stream]
        if let maxLength { arguments += ["MAXLEN", "~", String(maxLength)] }
        arguments.append(id)
        for (field, value) in fields { arguments += [field, value] }
        return arguments
    }

    /// `XGROUP CREATE stream group id MKSTREAM`. Returns false when the group already exists.
    @discardableResult
    public func xgroupCreate(_ stream: String, group: String, startId: String = "0") throws(RedisError) -> Bool {
        do {
            try command("XGROUP", "CREATE", stream, group, startId, "MKSTREAM")
            return true
        } catch where error.serverCode == "BUSYGROUP" {
            return false
        }
    }

    /// `XGROUP DELCONSUMER`; returns how many pending entries the consumer still had.
    @discardableResult
    public func xgroupDeleteConsumer(_ stream: String, group: String, consumer: String) throws(RedisError) -> Int {
        try command("XGROUP", "DELCONSUMER", stream, group, consumer).int ?? 0
    }

    /// `XREADGROUP GROUP g c COUNT n [BLOCK ms] STREAMS s id`. An empty array when the block times out.
    public func xreadgroup(
        group: String, consumer: String, stream: String, count: Int, block: Duration? = nil, id: String = ">"
    ) throws(RedisError) -> [StreamEntry] {
        var arguments = ["XREADGROUP", "GROUP", group, consumer, "COUNT", String(count)]
        if let block { arguments += ["BLOCK", String(block.inMilliseconds)] }
        arguments += ["STREAMS", stream, id]
        let reply: RedisValue
        if let block { reply = try blockingCommand(arguments, wait: block) } else { reply = try command(arguments) }
        return try Self.readReply(reply, command: "XREADGROUP")
    }

    /// `XREAD COUNT n [BLOCK ms] STREAMS s id`: entries after `id`, without a consumer group.
    /// An empty array when the block times out.
    public func xread(_ stream: String, after id: String, count: Int, block: Duration? = nil) throws(RedisError) -> [StreamEntry] {
        var arguments = ["XREAD", "COUNT", String(count)]
        if let block { arguments += ["BLOCK", String(block.inMilliseconds)] }
        arguments += ["STREAMS", stream, id]
        let reply: RedisValue
        if let block { reply = try blockingCommand(arguments, wait: block) } else { reply = try command(arguments) }
        return try Self.readReply(reply, command: "XREAD")
    }

    /// The entries of an `XREAD`/`XREADGROUP` reply (`[[stream, [entry…]]…]`, or null when a block timed out).
    private static func readReply(_ reply: RedisValue, command: String) throws(RedisError) -> [StreamEntry] {
        if reply.isNull { return [] }
        guard let streams = reply.array else { throw .unexpectedReply(command: command, reply: reply) }
        var entries: [StreamEntry] = []
        for element in streams {
            guard let pair = element.array, pair.count == 2, let list = pair[1].array else { throw .unexpectedReply(command: command, reply: reply) }
            entries += try Self.entries(list, command: command)
        }
        return entries
    }

    /// `XACK stream group id…`; returns how many were acknowledged.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) throws(RedisError) -> Int {
        guard !ids.isEmpty else { return 0 }
        return try command(["XACK", stream, group] + ids).int ?? 0
    }

    /// `XAUTOCLAIM stream group consumer min-idle start COUNT n`.
    public func xautoclaim(
        _ stream: String, group: String, consumer: String, minIdle: Duration, start: String = "0-0", count: Int
    ) throws(RedisError) -> AutoClaimResult {
        let reply = try command(
            "XAUTOCLAIM", stream, group, consumer, String(minIdle.inMilliseconds), start, "COUNT", String(count))
        guard let parts = reply.array, parts.count >= 2, let cursor = parts[0].string, let list = parts[1].array else {
            throw .unexpectedReply(command: "XAUTOCLAIM", reply: reply)
        }
        let deleted = parts.count > 2 ? (parts[2].array ?? []).compactMap(\.string) : []
        return AutoClaimResult(nextCursor: cursor, entries: try Self.entries(list, command: "XAUTOCLAIM"), deletedIds: deleted)
    }

    /// `XCLAIM … JUSTID`: takes (or keeps) ownership and resets the idle time without
    /// counting a delivery. Returns the ids actually claimed.
    @discardableResult
    public func xclaimJustId(
        _ stream: String, group: String, consumer: String, minIdle: Duration, ids: [String]
    ) throws(RedisError) -> [String] {
        guard !ids.isEmpty else { return [] }
        let reply = try command(["XCLAIM", stream, group, consumer, String(minIdle.inMilliseconds)] + ids + ["JUSTID"])
        return (reply.array ?? []).compactMap(\.string)
    }

    /// The summary form of `XPENDING`.
    public func xpending(_ stream: String, group: String) throws(RedisError) -> PendingSummary {
        let reply = try command("XPENDING", stream, group)
        guard let parts = reply.array, parts.count == 4, let count = parts[0].int else {
            throw .unexpectedReply(command: "XPENDING", reply: reply)
        }
        var consumers: [String: Int] = [:]
        for consumer in parts[3].array ?? [] {
            if let pair = consumer.array, pair.count == 2, let name = pair[0].string, let pending = pair[1].int {
                consumers[name] = pending
            }
        }
        return PendingSummary(count: count, smallestId: parts[1].string, largestId: parts[2].string, consumers: consumers)
    }

    /// The extended form of `XPENDING`: entries between `start` and `end`, optionally only
    /// those of one consumer or idle for at least `minIdle`.
    public func xpending(
        _ stream: String, group: String, start: String = "-", end: String = "+", count: Int,
        consumer: String? = nil, minIdle: Duration? = nil
    ) throws(RedisError) -> [PendingEntry] {
        var arguments = ["XPENDING", stream, group]
        if let minIdle { arguments += ["IDLE", String(minIdle.inMilliseconds)] }
        arguments += [start, end, String(count)]
        if let consumer { arguments.append(consumer) }
        let reply = try command(arguments)
        guard let list = reply.array else { throw .unexpectedReply(command: "XPENDING", reply: reply) }
        return try list.map { item throws(RedisError) in
            guard let fields = item.array, fields.count == 4, let id = fields[0].string, let owner = fields[1].string,
                let idle = fields[2].int, let deliveries = fields[3].int
            else { throw .unexpectedReply(command: "XPENDING", reply: item) }
            return PendingEntry(id: id, consumer: owner, idleMilliseconds: idle, deliveries: deliveries)
        }
    }

    /// `XRANGE stream start end [COUNT n]`.
    public func xrange(_ stream: String, start: String = "-", end: String = "+", count: Int? = nil) throws(RedisError) -> [StreamEntry] {
        var arguments = ["XRANGE", stream, start, end]
        if let count { arguments += ["COUNT", String(count)] }
        let reply = try command(arguments)
        guard let list = reply.array else { throw .unexpectedReply(command: "XRANGE", reply: reply) }
        return try Self.entries(list, command: "XRANGE")
    }

    /// The id of the stream's newest entry (`XREVRANGE stream + - COUNT 1`); nil when empty or absent.
    public func lastEntryId(_ stream: String) throws(RedisError) -> String? {
        let reply = try command("XREVRANGE", stream, "+", "-", "COUNT", "1")
        guard let list = reply.array else { throw .unexpectedReply(command: "XREVRANGE", reply: reply) }
        return try Self.entries(list, command: "XREVRANGE").first?.id
    }

    /// `XLEN stream`.
    public func xlen(_ stream: String) throws(RedisError) -> Int {
        try command("XLEN", stream).int ?? 0
    }

    /// `XINFO STREAM`. Throws a server error (`ERR no such key`) for a missing stream.
    public func xinfoStream(_ stream: String) throws(RedisError) -> StreamInfo {
        let reply = try command("XINFO", "STREAM", stream)
        let info = Self.dictionary(reply)
        guard let length = info["length"]?.int else { throw .unexpectedReply(command: "XINFO", reply: reply) }
        return StreamInfo(
            length: length,
            groups: info["groups"]?.int ?? 0,
            lastGeneratedId: info["last-generated-id"]?.string ?? "0-0",
            firstEntryId: info["first-entry"]?.array?.first?.string,
            lastEntryId: info["last-entry"]?.array?.first?.string)
    }

    /// `XINFO GROUPS`.
    public func xinfoGroups(_ stream: String) throws(RedisError) -> [StreamGroupInfo] {
        let reply = try command("XINFO", "GROUPS", stream)
        return (reply.array ?? []).map { group in
            let info = Self.dictionary(group)
            return StreamGroupInfo(
                name: info["name"]?.string ?? "",
                consumers: info["consumers"]?.int ?? 0,
                pending: info["pending"]?.int ?? 0,
                lastDeliveredId: info["last-delivered-id"]?.string ?? "0-0",
                entriesRead: info["entries-read"]?.int,
                lag: info["lag"]?.int)
        }
    }

    /// `XINFO CONSUMERS`.
    public func xinfoConsumers(_ stream: String, group: String) throws(RedisError) -> [StreamConsumerInfo] {
        let reply = try command("XINFO", "CONSUMERS", stream, group)
        return (reply.array ?? []).map { consumer in
            let info = Self.dictionary(consumer)
            return StreamConsumerInfo(
                name: info["name"]?.string ?? "", pending: info["pending"]?.int ?? 0,
                idleMilliseconds: info["idle"]?.int ?? 0)
        }
    }

    // MARK: - Reply shapes

    static func entries(_ list: [RedisValue], command: String) throws(RedisError) -> [StreamEntry] {
        var entries: [StreamEntry] = []
        entries.reserveCapacity(list.count)
        for item in list {
            guard let pair = item.array, pair.count == 2, let id = pair[0].string else {
                throw .unexpectedReply(command: command, reply: item)
            }
            // Redis 6.2 reports entries deleted while pending as [id, nil]; they have no fields.
            guard let flat = pair[1].array else { continue }
            var fields: [String: String] = [:]
            fields.reserveCapacity(flat.count / 2)
            var index = 0
            while index + 1 < flat.count {
                if let name = flat[index].string { fields[name] = flat[index + 1].string ?? "" }
                index += 2
            }
            entries.append(StreamEntry(id: id, fields: fields))
        }
        return entries
    }

    /// Turns a flat [key, value, key, value …] reply into a dictionary.
    static func dictionary(_ reply: RedisValue) -> [String: RedisValue] {
        guard let flat = reply.array else { return [:] }
        var result: [String: RedisValue] = [:]
        var index = 0
        while index + 1 < flat.count {
            if let key = flat[index].string { result[key] = flat[index + 1] }
            index += 2
        }
        return result
    }
}
