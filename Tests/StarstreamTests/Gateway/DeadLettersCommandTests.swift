import Contracts
import Foundation
import Redis
import Streams
import Testing

@Suite("gateway dead-letters: list, replay and purge from a shell against a running gateway")
struct DeadLettersCommandTests {
    @Test("list counts and letters, replay one (its message id and trace kept) and purge the rest with the token; without it the gateway refuses and the command says why")
    func commandLine() async throws {
        let redisServer = try PrivateRedis()
        let redis = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        var ids: [String] = []
        for number in 0..<3 { ids.append(try await deadLetter(StreamName.spectraCataloged, number: number, on: redis)) }
        let gateway = try ServiceProcess("gateway", environment: ["HTTP_PORT": "0", "REDIS_URL": redisServer.url, "GATEWAY_TOKEN": "cli-token"])
        let base = "http://127.0.0.1:\(try await gateway.httpPort())"
        func cli(_ arguments: [String], token: String? = "cli-token") async throws -> (status: Int32?, lines: [String], errors: String) {
            let process = try ServiceProcess("gateway", arguments: ["dead-letters"] + arguments + ["--gateway", base], environment: ["GATEWAY_TOKEN": token ?? ""])
            let status = await process.waitForExit()
            return (status, process.lines, process.errorText)
        }

        let counts = try await cli(["list"])
        #expect(counts.status == 0 && counts.lines.contains("\(StreamName.spectraCataloged)\t3"), "\(counts)")
        let letters = try await cli(["list", "--stream", StreamName.spectraCataloged])
        #expect(letters.lines.count == 3 && letters.lines[0].hasPrefix(ids[0]) && letters.lines[0].contains("test-0\ttrace-0"), "\(letters)")

        let refused = try await cli(["replay", "--stream", StreamName.spectraCataloged, "--id", ids[0]], token: nil)
        #expect(refused.status != 0 && refused.errors.contains("401"), "\(refused)")
        let replayed = try await cli(["replay", "--stream", StreamName.spectraCataloged, "--id", ids[0]])
        #expect(replayed.status == 0, "\(replayed)")
        let back = try #require(try await redis.xrange(StreamName.spectraCataloged).first)
        #expect(back.fields["id"] == "test-0" && back.fields["trace"] == "trace-0", "message id and trace kept")

        let both = try await cli(["replay", "--stream", StreamName.spectraCataloged])
        #expect(both.status != 0 && both.errors.contains("--id ID or --all"))
        let purged = try await cli(["purge", "--stream", StreamName.spectraCataloged])
        #expect(purged.lines.contains("purged 2 letters from \(StreamName.spectraCataloged).dlq"), "\(purged)")
        #expect(try await redis.xlen(StreamName.spectraCataloged + ".dlq") == 0)
        await expectCleanShutdown([gateway])
    }
}
