import Redis
import Testing

@Suite("Redis wrapper against a real redis-server")
struct RedisTests {
    let redis: RedisConnection

    init() async throws {
        redis = try await RedisConnection.connect(RedisConfiguration(url: TestServers.redisURL))
    }

    @Test("commands return typed replies and server errors carry Redis' message")
    func commandsAndErrors() async throws {
        let key = uniqueName("key")
        #expect(try await redis.command("SET", key, "42") == .status("OK"))
        #expect(try await redis.command("GET", key).int == 42)
        #expect(try await redis.command("INCRBY", key, "8") == .integer(50))
        #expect(try await redis.command("GET", uniqueName("missing")) == .null)
        let error = await #expect(throws: RedisError.self) { try await redis.command("LPUSH", key, "x") }
        #expect(error?.serverCode == "WRONGTYPE")
        #expect("\(error!)".contains("LPUSH"))
    }

    @Test("arguments are binary safe: spaces, quotes, newlines and empty strings survive")
    func binarySafeArguments() async throws {
        let key = uniqueName("binary")
        let value = "a b \"c\"\r\n\u{0}é"
        try await redis.command("SET", key, value)
        #expect(try await redis.command("GET", key).string == value)
        try await redis.command("SET", key, "")
        #expect(try await redis.command("GET", key) == .bulk([]))
    }

    @Test("a pipeline returns one reply per command, error replies in place")
    func pipelining() async throws {
        let key = uniqueName("pipe")
        let replies = try await redis.pipeline([["INCR", key], ["INCR", key], ["HGET", key, "f"], ["INCR", key]])
        #expect(replies.count == 4)
        #expect(replies[0] == .integer(1))
        #expect(replies[1] == .integer(2))
        guard case .error(let message) = replies[2] else { Issue.record("expected an error reply"); return }
        #expect(message.hasPrefix("WRONGTYPE"))
        #expect(replies[3] == .integer(3))
    }

    @Test("URLs carry password and database; a bad URL names the problem")
    func urls() throws {
        let config = try RedisConfiguration(url: "redis://user:p%40ss@db.example:6380/3")
        #expect(config.endpoint == .tcp(host: "db.example", port: 6380))
        #expect(config.username == "user")
        #expect(config.password == "p@ss")
        #expect(config.database == 3)
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "http://localhost") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis://localhost/notanumber") }
    }

    @Test("a password in the URL authenticates; a wrong one is an error with Redis' message")
    func authentication() async throws {
        let server = try PrivateRedis()
        let open = try await RedisConnection.connect(RedisConfiguration(url: server.url))
        try await open.command("CONFIG", "SET", "requirepass", "s3cr:t@")
        let url = "redis://:s3cr%3At%40@127.0.0.1:\(server.port)/2"
        let authenticated = try await RedisConnection.connect(RedisConfiguration(url: url))
        #expect(try await authenticated.command("PING").string == "PONG")
        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection.connect(RedisConfiguration(url: "redis://:wrong@127.0.0.1:\(server.port)/0"))
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("WRONGPASS"))
    }

    @Test("selecting a database through the URL isolates keys")
    func databaseSelection() async throws {
        var config = try RedisConfiguration(url: TestServers.redisURL)
        config.database = 5
        let other = try await RedisConnection.connect(config)
        let key = uniqueName("db")
        try await other.command("SET", key, "in-five")
        #expect(try await redis.command("GET", key) == .null)
        #expect(try await other.command("GET", key).string == "in-five")
    }

    @Test("an unreachable server is a connection error naming the endpoint")
    func unreachable() async throws {
        let config = try RedisConfiguration(url: "redis://127.0.0.1:1")
        let error = await #expect(throws: RedisError.self) { try await RedisConnection.connect(config) }
        #expect(error?.isConnectionError == true)
        #expect("\(error!)".contains("127.0.0.1:1"))
    }

    @Test("a dropped connection is reopened by the next command")
    func reconnects() async throws {
        let name = uniqueName("client")
        try await redis.command("CLIENT", "SETNAME", name)
        let admin = try await RedisConnection.connect(RedisConfiguration(url: TestServers.redisURL))
        let list = try await admin.command("CLIENT", "LIST").string ?? ""
        let id = list.split(separator: "\n").first { $0.contains("name=\(name)") }?
            .split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3)
        try await admin.command("CLIENT", "KILL", "ID", String(id ?? ""))
        await #expect(throws: RedisError.self) { try await redis.command("PING") }
        #expect(try await redis.command("PING") == .status("PONG"))
    }
}
