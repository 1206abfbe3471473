import Synchronization

/// A walk over OBSIDs in windows `(above, atMost]`, each sized to hold about `target` documents.
///
/// Why windows: the MongoDB stand-in matches every candidate of a query in Python before it sorts
/// and limits, and its index narrows the candidates only for a range bounded on both sides. So
/// "the 51 spectra after OBSID c" costs as much as the whole collection (108–185 ms for 3,000
/// documents), while the same page asked as "the spectra in (c, c + width]" costs what the window
/// holds (3.5–6.3 ms; `Tools/mongo-probe/page_queries.py`). The walk learns the width from what
/// each window held: a full one from how far apart its documents lie (not from where the window
/// began, which may be the far side of a gap), an empty one was too narrow (the next is 16 times
/// wider), a partly filled one by what it lacked.
struct ObsidWindowWalk: Sendable, Equatable {
    /// Every OBSID up to this one has been examined.
    private(set) var lower: Int
    private(set) var width: Int
    /// The documents a window should hold, and the most one query returns.
    let target: Int
    /// Where the first window of a walk from the start ends.
    private let firstReach: Int

    static let growthOnEmpty = 16

    /// - Parameter lowest: the lowest OBSID the last walk of this kind from the start found: a
    ///   first page's window then reaches just past it (one query, not a climb through the empty
    ///   OBSIDs below it). A hint only: whatever arrived below it since is in that window too.
    init(after cursor: Int?, width: Int, target: Int, lowest: Int? = nil) {
        let width = max(1, width)
        lower = cursor ?? Int.min
        self.width = width
        self.target = target
        firstReach = lowest.map { Self.adding($0 == Int.min ? $0 : $0 - 1, width) } ?? 0
    }

    /// Whether every OBSID has been examined.
    var exhausted: Bool { lower == Int.max }

    /// The next window. From the start, it reaches zero (or just past the lowest OBSID known);
    /// from below zero, where a survey has no OBSIDs, zero in one step.
    var window: (above: Int, atMost: Int) {
        if lower == Int.min { return (lower, firstReach) }
        if lower < 0 { return (lower, 0) }
        return (lower, Self.adding(lower, width))
    }

    /// Moves past what the window's query returned: `count` documents in OBSID order, from
    /// `first` to `last`. A full answer may not be all the window held: the walk goes on from `last`.
    mutating func advance(returned count: Int, first: Int?, last: Int?) {
        let (above, atMost) = window
        if count >= target, let first, let last {
            // As wide as the target took here, wherever the window began.
            let (span, overflow) = last.subtractingReportingOverflow(first)
            width = overflow ? Int.max : max(1, Self.adding(span, 1))
            lower = last
            return
        }
        // Only a window of the walk's own width says anything about that width.
        if above >= 0 {
            width = Self.widened(width, by: count == 0 ? Double(Self.growthOnEmpty) : min(Double(Self.growthOnEmpty), Double(target) / Double(count)))
        }
        lower = atMost
    }

    private static func adding(_ value: Int, _ width: Int) -> Int {
        let (sum, overflow) = value.addingReportingOverflow(width)
        return overflow ? Int.max : sum
    }

    private static func widened(_ width: Int, by factor: Double) -> Int {
        let wider = (Double(width) * factor).rounded(.up)
        return wider >= Double(Int.max) ? Int.max : max(1, Int(wider))
    }
}

/// What the last page of each kind learned: the width its walk ended with, so that the next
/// page of the same kind starts with a window of about the right size, and the lowest OBSID a
/// first page found. Kept per process: hints, never results.
final class ObsidWindowWidths: Sendable {
    struct Hint: Sendable, Equatable {
        var width: Int
        var lowest: Int?
    }

    /// About a page of LAMOST OBSIDs (nine digits, a few thousand spectra) before anything is known.
    static let initial = 1 << 24
    /// Kinds are filter values (a plan, a letter): bounded, so that a client cannot grow the map.
    static let remembered = 1_024

    private let hints = Mutex<[String: Hint]>([:])

    func hint(for kind: String) -> Hint {
        hints.withLock { $0[kind] } ?? Hint(width: Self.initial)
    }

    /// Keeps `width`, and `lowest` when a walk from the start found it (otherwise the lowest known stays).
    func remember(_ width: Int, lowest: Int? = nil, for kind: String) {
        hints.withLock { hints in
            if hints.count >= Self.remembered, hints[kind] == nil { hints.removeAll(keepingCapacity: true) }
            hints[kind] = Hint(width: width, lowest: lowest ?? hints[kind]?.lowest)
        }
    }
}
