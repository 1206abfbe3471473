/// A serial executor that runs its jobs on one thread of its own.
///
/// hiredis and libpq calls block. An actor whose `unownedExecutor` is one of these may block
/// inside them without occupying a thread of Swift's cooperative pool (two threads on a
/// two-core machine), so the rest of the process keeps running while a `BLOCK`ing read waits.
public final class DedicatedThreadExecutor: SerialExecutor, Sendable {
    private let thread: JobThread

    /// Starts the thread. `name` shows in debuggers and `top -H`.
    public init(name: String) {
        thread = JobThread(name: name)
        thread.start { job in job.runSynchronously(on: self.asUnownedSerialExecutor()) }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        thread.enqueue(UnownedJob(job))
    }

    /// Lets the thread exit once the jobs already queued have run.
    public func shutdown() {
        thread.shutdown()
    }
}
