import Redis
import Testing

@Suite("Redis stream commands")
struct RedisStreamTests {
    let redis: RedisConnection
    let stream = uniqueName("stream")

    init() async throws {
        redis = try await RedisConnection.connect(RedisConfiguration(url: TestServers.redisURL))
    }

    @Test("XADD, XREADGROUP, XACK and XPENDING follow one entry through a group")
    func groupLifecycle() async throws {
        #expect(try await redis.xgroupCreate(stream, group: "g") == true)
        #expect(try await redis.xgroupCreate(stream, group: "g") == false)
        let id = try await redis.xadd(stream, fields: ["type": "test", "body": "{\"n\":1}"])
        let read = try await redis.xreadgroup(group: "g", consumer: "c1", stream: stream, count: 10, block: .milliseconds(100))
        #expect(read == [StreamEntry(id: id, fields: ["type": "test", "body": "{\"n\":1}"])])
        let summary = try await redis.xpending(stream, group: "g")
        #expect(summary.count == 1)
        #expect(summary.consumers == ["c1": 1])
        let pending = try await redis.xpending(stream, group: "g", count: 10)
        #expect(pending.map(\.id) == [id])
        #expect(pending.first?.deliveries == 1)
        #expect(try await redis.xack(stream, group: "g", ids: [id]) == 1)
        #expect(try await redis.xpending(stream, group: "g").count == 0)
    }

    @Test("a timed-out blocking read returns nothing, and the connection stays usable")
    func blockTimeout() async throws {
        try await redis.xgroupCreate(stream, group: "g")
        let clock = ContinuousClock()
        let started = clock.now
        let read = try await redis.xreadgroup(group: "g", consumer: "c", stream: stream, count: 1, block: .milliseconds(300))
        #expect(read.isEmpty)
        #expect(clock.now - started >= .milliseconds(250))
        #expect(try await redis.command("PING") == .status("PONG"))
    }

    @Test("XAUTOCLAIM hands idle entries to another consumer and counts the delivery")
    func autoclaim() async throws {
        try await redis.xgroupCreate(stream, group: "g")
        let ids = try await redis.xaddBatch(stream, entries: [[("n", "1")], [("n", "2")]])
        _ = try await redis.xreadgroup(group: "g", consumer: "dead", stream: stream, count: 10)
        try await Task.sleep(for: .milliseconds(60))
        let claimed = try await redis.xautoclaim(stream, group: "g", consumer: "alive", minIdle: .milliseconds(50), count: 10)
        #expect(claimed.entries.map(\.id) == ids)
        #expect(claimed.nextCursor == "0-0")
        let pending = try await redis.xpending(stream, group: "g", count: 10, consumer: "alive")
        #expect(pending.map(\.deliveries) == [2, 2])
        let kept = try await redis.xclaimJustId(stream, group: "g", consumer: "alive", minIdle: .zero, ids: [ids[0]])
        #expect(kept == [ids[0]])
        #expect(try await redis.xpending(stream, group: "g", count: 10, consumer: "alive").first?.deliveries == 2)
    }

    @Test("XINFO reports length, groups, pending and lag; XRANGE and MAXLEN trim")
    func inspection() async throws {
        try await redis.xgroupCreate(stream, group: "g")
        _ = try await redis.xaddBatch(stream, entries: (0..<5).map { [("n", String($0))] })
        _ = try await redis.xreadgroup(group: "g", consumer: "c", stream: stream, count: 2)
        let info = try await redis.xinfoStream(stream)
        #expect(info.length == 5)
        #expect(info.groups == 1)
        let groups = try await redis.xinfoGroups(stream)
        #expect(groups.count == 1)
        #expect(groups[0].pending == 2)
        #expect(groups[0].lag == 3)
        #expect(try await redis.xrange(stream, count: 2).map { $0.fields["n"] } == ["0", "1"])
        for n in 0..<300 { try await redis.xadd(stream, fields: ["n": String(n)], maxLength: 100) }
        #expect(try await redis.xlen(stream) < 250)
    }

    @Test("a missing group is reported as NOGROUP")
    func noGroup() async throws {
        let error = await #expect(throws: RedisError.self) {
            try await redis.xreadgroup(group: "nope", consumer: "c", stream: stream, count: 1)
        }
        #expect(error?.serverCode == "NOGROUP")
    }
}
