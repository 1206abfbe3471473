import Dispatch
import Foundation
import Synchronization

/// One thread that runs queued jobs in order until it is shut down: the body of both dedicated
/// executors, which differ only in how a job is run (isolated to an actor, or as a task's
/// preferred executor).
final class JobThread: Sendable {
    private struct Queue: ~Copyable {
        var jobs: [UnownedJob] = []
        var head = 0
        var stopping = false
    }

    private let name: String
    private let queue = Mutex(Queue())
    private let wakeup = DispatchSemaphore(value: 0)

    init(name: String) {
        self.name = name
    }

    /// Starts the thread; `run` runs each job. The thread holds `run` (and what it captures)
    /// until `shutdown()`.
    func start(_ run: @escaping @Sendable (UnownedJob) -> Void) {
        let thread = Thread { [self] in self.runLoop(run) }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: UnownedJob) {
        queue.withLock { $0.jobs.append(job) }
        wakeup.signal()
    }

    /// Lets the thread exit once the jobs already queued have run.
    func shutdown() {
        queue.withLock { $0.stopping = true }
        wakeup.signal()
    }

    private func runLoop(_ run: @Sendable (UnownedJob) -> Void) {
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
            case .some(.some(let job)): run(job)
            }
        }
    }
}
