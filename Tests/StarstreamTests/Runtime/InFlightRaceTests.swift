import Redis
@testable import Streams
import Testing

@Suite("Stream runtime: an entry whose handler is finishing is never taken for new")
struct InFlightRaceTests {
    enum Moment: CaseIterable { case beforeTheQuestion, betweenItsTwoChecks, afterTheAnswer }

    /// A handler marks its entry done, then leaves in-flight. A reclaim or a history read asks
    /// `isNew` meanwhile; asked in the other order (done first, then in-flight), a handler
    /// finishing between the two checks is seen as neither, and its entry is handled again.
    @Test("isNew answers false for an entry whose handler finishes before, during or after the question", arguments: Moment.allCases)
    func finishingHandler(at moment: Moment) async throws {
        let worker = StreamWorker(
            configuration: WorkerConfiguration(stream: uniqueName("race"), group: "g", consumer: "c"),
            redis: try RedisConfiguration(url: TestServers.redisURL), logger: quietLogger, handler: { _ in })
        let entry = StreamEntry(id: "1-0", fields: [:])
        #expect(await worker.inFlight.begin(entry.id))
        @Sendable func finish() async {
            worker.acks.add(entry.id)
            await worker.inFlight.end(entry.id)
        }
        if moment == .beforeTheQuestion { await finish() }
        let new = await worker.isNew(entry) {
            if moment == .betweenItsTwoChecks { await finish() }
        }
        if moment != .beforeTheQuestion, await worker.inFlight.contains(entry.id) { await finish() }
        #expect(!new)
        // Whenever it finished, it is done now: a later question still answers false.
        #expect(await !worker.isNew(entry))
    }
}
