import Foundation

/// Runs heavy synchronous work (thousands of files or abstracts) on a thread of its own, and
/// awaits it.
///
/// A synchronous test holds one of the cooperative pool's threads (two on a two-core machine)
/// from start to end: two such at once stall every other test's awaits for as long, and the
/// timeouts of the tests that drive service processes run out while none of their code can
/// run (a suite run saw a 21-second stall this way). Expectations stay with the caller, in
/// the test's own task.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.name = "test work off the cooperative pool"
        thread.start()
    }
}
