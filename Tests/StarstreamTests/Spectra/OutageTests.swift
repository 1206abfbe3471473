import Contracts
import Foundation
import HTTPClient
import Redis
import Streams
import Testing

@Suite("Outages: a database or Redis restarting never dead-letters good work")
struct OutageTests {
    @Test("PostgreSQL restarted during a long fetch request, then Redis restarted: every spectrum is catalogued once and nothing is dead-lettered")
    func restartsDuringFetch() async throws {
        let count = 400
        let mirror = try makeTemporaryDirectory("mirror")
        let sim = try ServiceProcess("starstream-sim", arguments: ["--count", "\(count)", "--per-plan", "100", "--seed", "23", "--out", mirror])
        #expect(await sim.waitForExit(timeout: .seconds(120)) == 0)
        let plans = try FileManager.default.contentsOfDirectory(atPath: mirror).filter { $0.hasPrefix("SIM") }.sorted()

        let redisServer = try PrivateRedis()
        let postgres = try PrivatePostgres()
        // Two attempts only, and quick reclaims: before the fix, each outage cost an attempt.
        let environment = [
            "HTTP_PORT": "0", "REDIS_URL": redisServer.url, "DATABASE_URL": postgres.url,
            "MAX_DELIVERIES": "2", "RECLAIM_IDLE_MS": "2000", "FETCH_CONCURRENCY": "1",
        ]
        let fetcher = try ServiceProcess("fetcher", environment: environment.merging(["DATA_DIR": try makeTemporaryDirectory("fetcher")]) { $1 })
        let cataloger = try ServiceProcess("cataloger", environment: environment)
        let catalogerPort = try await cataloger.httpPort()
        _ = try await fetcher.httpPort()
        let redis = RedisConnection(configuration: try RedisConfiguration(url: redisServer.url))

        let cli = try ServiceProcess("fetcher", arguments: ["enqueue", "--base", "file://" + mirror] + plans, environment: environment)
        // The command only publishes one entry, but this test starts while the suite's browser and
        // service tests load both cores: a CI run saw it take more than 30 s to be done and read.
        let enqueued = await cli.waitForExit(timeout: .seconds(180))
        #expect(enqueued == 0, "\(String(describing: enqueued)) \(cli.errorText) \(cli.lines)")

        // PostgreSQL goes away while the request is under way: pooled connections break.
        try await eventually("the fetch under way") { (try? await redis.xlen(StreamName.spectraDownloaded)) ?? 0 >= count / 8 }
        postgres.stop()
        try await Task.sleep(for: .seconds(3))
        try postgres.start()
        // Then Redis restarts (from its AOF) while files are still being fetched and catalogued.
        try await eventually("more fetched after the database came back") { (try? await redis.xlen(StreamName.spectraDownloaded)) ?? 0 >= count / 2 }
        try redisServer.restart()

        let http = HTTPClient()
        try await eventually(timeout: .seconds(240), "\(count) spectra catalogued") {
            guard let response = try? await http.get("http://127.0.0.1:\(catalogerPort)/api/catalog?limit=10000"),
                let rows = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [Any]
            else { return false }
            return rows.count == count
        }
        // The test's own connection broke with the restart too: a fresh one.
        let after = try await RedisConnection.connect(RedisConfiguration(url: redisServer.url))
        let downloads = try await after.xrange(StreamName.spectraDownloaded).map {
            try SpectrumDownloaded(envelope: Envelope(entry: $0), stream: StreamName.spectraDownloaded)
        }
        #expect(Set(downloads.map(\.file)).count == count, "every file announced")
        for stream in [StreamName.spectraFetchRequests, StreamName.spectraDownloaded] {
            let letters = try await after.xrange(stream + ".dlq")
            #expect(letters.isEmpty, "\(stream).dlq: \(letters.compactMap { $0.fields["dlq_error"] })")
        }
        try await eventually("the fetch request acknowledged") {
            (try? await after.xpending(StreamName.spectraFetchRequests, group: "fetcher").count) == 0
        }
        #expect(fetcher.lines.contains { $0.contains("waits for a dependency") }, "the outage was met and waited out")
        await expectCleanShutdown([fetcher, cataloger])
    }
}
