import Arxiv
import Foundation

/// One `ListRecords` response of an OAI-PMH repository (arXiv's `metadataPrefix=arXiv`).
public struct OAIPage: Sendable, Equatable {
    /// Records with metadata, as the arXiv API would describe the paper's newest version.
    public var entries: [ArxivEntry]
    /// Records the repository marks `status="deleted"` (withdrawn): no metadata, skipped.
    public var deleted: Int
    /// Records that lack something every record has, each with the reason: skipped, so that one
    /// broken record does not stop a harvest of millions.
    public var rejected: [String]
    /// Ask for the next page with this; nil or empty: the list is complete.
    public var resumptionToken: String?
    /// The size of the whole list, when the repository says.
    public var completeListSize: Int?
    /// Records before this page, when the repository says.
    public var cursor: Int?

    public init(
        entries: [ArxivEntry], deleted: Int = 0, rejected: [String] = [], resumptionToken: String? = nil, completeListSize: Int? = nil,
        cursor: Int? = nil
    ) {
        (self.entries, self.deleted, self.rejected, self.resumptionToken) = (entries, deleted, rejected, resumptionToken)
        (self.completeListSize, self.cursor) = (completeListSize, cursor)
    }

    /// Whether a further page follows.
    public var hasMore: Bool { !(resumptionToken ?? "").isEmpty }
}

/// A response that is not a usable `ListRecords` page, naming where it came from.
public struct OAIError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not well-formed XML (truncated, garbled).
        case malformed
        /// Well-formed, but not an OAI-PMH response (an HTML error page).
        case notOAI
        /// The repository's own `<error code="…">`: `badResumptionToken`, `noRecordsMatch`, `badArgument`, ….
        case protocolError(code: String)
    }

    public var source: String
    public var kind: Kind
    public var reason: String

    public init(source: String, kind: Kind, reason: String) {
        (self.source, self.kind, self.reason) = (source, kind, reason)
    }

    public var description: String { "\(source): \(reason)" }

    /// `noRecordsMatch` is how a repository says an empty list: not a failure of the harvest.
    public var isEmptyList: Bool { kind == .protocolError(code: "noRecordsMatch") }

    /// Whether asking again can succeed: a truncated or non-OAI answer (a proxy's page) may be
    /// transient, and an expired resumption token is cured by starting the list again, which a
    /// redelivered harvest does; the repository's other errors (`badArgument`, …) are final.
    public var isRetryable: Bool {
        switch kind {
        case .malformed, .notOAI, .protocolError(code: "badResumptionToken"): true
        case .protocolError: false
        }
    }
}
