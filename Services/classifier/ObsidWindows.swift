import Synchronization

/// A walk over OBSIDs in windows `(above, atMost]`, each sized to hold about `target` documents.
///
/// Why windows: the MongoDB stand-in matches every candidate of a query in Python before it sorts
/// and limits, and its index narrows the candidates only for a range bounded on both sides. So
/// "the 51 spectra after OBSID c" costs as much as the whole collection (108–185 ms for 3,000
/// documents), while the same page asked as "the spectra in (c, c + width]" costs what the window
/// holds (3.5–6.3 ms; `Tools/mongo-probe/page_queries.py`). The walk learns the width from what
/// each window held: a window that came back full was too wide (the next is as wide as the part
/// that held the target), an empty one too narrow (the next is 16 times wider).
struct ObsidWindowWalk: Sendable, Equatable {
    /// Every OBSID up to this one has been examined.
    private(set) var lower: Int
    private(set) var width: Int
    /// The documents a window should hold, and the most one query returns.
    let target: Int

    static let growthOnEmpty = 16

    init(after cursor: Int?, width: Int, target: Int) {
        lower = cursor ?? Int.min
        self.width = max(1, width)
        self.target = target
    }

    /// Whether every OBSID has been examined.
    var exhausted: Bool { lower == Int.max }

    /// The next window. Below zero, where a survey has no OBSIDs, it reaches zero in one step
    /// and what it held says nothing about the width.
    var window: (above: Int, atMost: Int) {
        if lower < 0 { return (lower, 0) }
        let (upper, overflow) = lower.addingReportingOverflow(width)
        return (lower, overflow ? Int.max : upper)
    }

    /// Moves past what the window's query returned: `count` documents in OBSID order, the last
    /// at `last`. A full answer may not be all the window held: the walk goes on from `last`.
    mutating func advance(returned count: Int, last: Int?) {
        let (above, atMost) = window
        let learns = above >= 0
        if count >= target, let last {
            if learns { width = max(1, last - above) }
            lower = last
        } else {
            if learns { width = Self.widened(width, by: count == 0 ? Double(Self.growthOnEmpty) : min(Double(Self.growthOnEmpty), Double(target) / Double(count))) }
            lower = atMost
        }
    }

    private static func widened(_ width: Int, by factor: Double) -> Int {
        let wider = (Double(width) * factor).rounded(.up)
        return wider >= Double(Int.max) ? Int.max : max(1, Int(wider))
    }
}

/// The window width each kind of page last ended with, so that the next page of the same kind
/// starts with a window of about the right size. Kept per process: a hint, never a result.
final class ObsidWindowWidths: Sendable {
    /// About a page of LAMOST OBSIDs (nine digits, a few thousand spectra) before anything is known.
    static let initial = 1 << 24
    /// Kinds are filter values (a plan, a letter): bounded, so that a client cannot grow the map.
    static let remembered = 1_024

    private let widths = Mutex<[String: Int]>([:])

    func width(for kind: String) -> Int {
        widths.withLock { $0[kind] } ?? Self.initial
    }

    func remember(_ width: Int, for kind: String) {
        widths.withLock { widths in
            if widths.count >= Self.remembered, widths[kind] == nil { widths.removeAll(keepingCapacity: true) }
            widths[kind] = width
        }
    }
}
