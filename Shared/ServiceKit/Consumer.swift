import Streams

/// One stream a service declared it reads, and how: entry by entry, a read at a time, or not
/// yet (a group created so that messages wait for a handler that comes later).
struct Consumer: Sendable {
    enum Handling: Sendable {
        case single(StreamHandler)
        case batch(BatchHandler)
    }

    var stream: String
    var group: String
    var concurrency: Int? = nil
    var batchSize: Int? = nil
    var handling: Handling?
}
