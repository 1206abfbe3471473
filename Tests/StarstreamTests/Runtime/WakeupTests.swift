@testable import Streams
import Testing

@Suite("Stream runtime: the control loop's wakeup")
struct WakeupTests {
    @Test("a signal given before the wait is kept for it; a wait with none returns at its timeout")
    func keepsSignals() async {
        let wakeup = Wakeup()
        wakeup.signal()
        let clock = ContinuousClock()
        // Far below the timeout, however loaded the machine: the kept signal ended the wait.
        let kept = await clock.measure { await wakeup.wait(timeout: .seconds(300)) }
        #expect(kept < .seconds(100))
        let timedOut = await clock.measure { await wakeup.wait(timeout: .milliseconds(100)) }
        #expect(timedOut >= .milliseconds(100))
    }

    @Test("a signal wakes a waiter; cancelling the waiting task ends its wait")
    func wakesAndCancels() async {
        let wakeup = Wakeup()
        let clock = ContinuousClock()
        let started = clock.now
        async let woken: Void = wakeup.wait(timeout: .seconds(300))
        // Parked first, so that the signal wakes a waiter rather than being kept for one.
        while !wakeup.hasWaiter { try? await Task.sleep(for: .milliseconds(5)) }
        wakeup.signal()
        await woken
        #expect(clock.now - started < .seconds(100))

        let waiting = Task { await wakeup.wait(timeout: .seconds(300)) }
        while !wakeup.hasWaiter { try? await Task.sleep(for: .milliseconds(5)) }
        waiting.cancel()
        await waiting.value
        #expect(clock.now - started < .seconds(200))
    }
}
