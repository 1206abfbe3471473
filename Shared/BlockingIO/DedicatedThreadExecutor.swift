import Dispatch
import Foundation
import Synchronization

/// A serial executor that runs its jobs on one thread of its own.
///
/// hiredis and libpq calls block. An actor whose `unownedExecutor` is one of these may block
/// inside them without occupying a thread of Swift's cooperative pool (two threads on a
/// two-core machine), so the rest of the process keeps running while a `BLOCK`ing read waits.
public final class DedicatedThreadExecutor: SerialExecutor, Sendable {
    private struct Queue: ~Copyable {
        var jobs: [UnownedJob] = []
        var head = 0
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let wakeup = DispatchSemaphore(value: 0)

    /// Starts the thread. `name` shows in debuggers and `top -H`.
    public init(name: String) {
        let thread = Thread { [self] in self.runLoop() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.withLock { $0.jobs.append(job) }
        wakeup.signal()
    }

    /// Lets the thread exit once the jobs already queued have run.
    public func shutdown() {
        queue.withLock { $0.stopping = true }
        wakeup.signal()
    }

    private func runLoop() {
        while true {
            wakeup.wait()
            let next: UnownedJob?? = queue.withLock { queue in
                if queue.head < queue.jobs.count {
                    let job = queue.jobs[queue.head]
                    queue.head += 1
                    if queue.head > 64, queue.head * 2 > queue.jobs.count {
                        queue.jobs.removeFirst(queue.head)
                        queue.head = 0
                    }
                    return .some(job)
                }
                return queue.stopping ? .none : .some(nil)
            }
            switch next {
            case .none: return
            case .some(.none): continue
            case .some(.some(let job)): job.runSynchronously(on: asUnownedSerialExecutor())
            }
        }
    }
}
