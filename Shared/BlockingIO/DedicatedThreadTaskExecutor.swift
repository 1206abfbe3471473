/// A task executor with one thread of its own: a task that prefers it
/// (`addTask(executorPreference:)`) runs there, default actors it calls included, whatever
/// occupies Swift's cooperative pool.
///
/// For loops that must keep time while handlers may hold every cooperative thread (two on a
/// two-core machine) with CPU-bound work: a stream worker's heartbeats, whose delay past the
/// reclaim idle time lets another consumer take an entry that is still being handled.
public final class DedicatedThreadTaskExecutor: TaskExecutor, Sendable {
    private let thread: JobThread

    /// Starts the thread. `name` shows in debuggers and `top -H`.
    public init(name: String) {
        thread = JobThread(name: name)
        thread.start { job in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        thread.enqueue(UnownedJob(job))
    }

    /// Lets the thread exit once the jobs already queued have run.
    public func shutdown() {
        thread.shutdown()
    }
}
