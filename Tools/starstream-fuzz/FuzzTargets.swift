import AtomFeed
import Arxiv
import Contracts
import Deflate
import Foundation
import OAIPMH
import Redis
import Spectra
import Streams
import XMLScan

/// Every reader of outside input, each taking one input's bytes. A reader may refuse the input
/// with its own error (that is it saying "bad input", as it should, and the error's text is
/// built too); it must never crash, hang or exhaust memory. `deploy/fuzz.sh` runs each under
/// libFuzzer.
///
/// Each target returns a digest of what it read (counts, the error text's length) and the
/// caller keeps it in a public global: a result nobody uses lets the optimiser delete the
/// parse, and a fuzzer of deleted code finds nothing.
enum FuzzTargets {
    static let all: [String: @Sendable ([UInt8]) -> Int] = [
        // A FITS spectrum as fetched (gzip or not): header, image rows or the COADD table, the spectrum's checks.
        "fits": { bytes in
            digest { let file = try SpectrumFile.read(contents: bytes, name: "fuzz.fits"); return file.flux.count + file.wavelength.count + file.header.cards.count }
        },
        // The gzip reader alone, with a small output limit: a bomb must stop at the limit, not take the memory.
        "gzip": { bytes in digest { try Gzip.decompress(bytes, name: "fuzz.gz", limit: 1 << 24).count } },
        "xml": { bytes in
            var reader = XMLReader(bytes)
            return digest {
                var events = 0
                while try reader.next() != nil { events += 1 }
                return events
            }
        },
        "atom": { bytes in digest { try AtomParser.parse(Data(bytes), source: "fuzz.atom").entries.map(\.summary.utf8.count).reduce(0, +) } },
        "oai": { bytes in
            digest {
                let page = try OAIParser.parse(Data(bytes), source: "fuzz.oai")
                return page.entries.map(\.title.utf8.count).reduce(page.rejected.count + (page.resumptionToken?.count ?? 0), +)
            }
        },
        // A line of a metadata file (the corpus's or the arXiv snapshot's layout).
        "metadata-line": { bytes in digest { let entry = try ArxivMetadataReader().entry(bytes); return entry.summary.utf8.count + entry.authors.count } },
        // A stream entry: fields separated by NUL, each `name=value`; then the bodies of the contracts read from the spectra and arXiv streams.
        "envelope": { bytes in
            var fields: [String: String] = [:]
            for field in bytes.split(separator: 0) {
                let parts = String(decoding: field, as: UTF8.self).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            let envelope: Envelope
            do { envelope = try Envelope(entry: StreamEntry(id: "0-1", fields: fields)) } catch { return String(describing: error).count }
            let decoders: [(Envelope) throws -> Any] = [
                { try SpectraFetchRequest(envelope: $0, stream: "fuzz") }, { try SpectrumDownloaded(readingAnyVersionOf: $0, stream: "fuzz") },
                { try SpectrumCataloged(readingAnyVersionOf: $0, stream: "fuzz") }, { try SpectrumPreprocessed(envelope: $0, stream: "fuzz") },
                { try SpectrumFeatures(envelope: $0, stream: "fuzz") }, { try ArxivPollRequest(envelope: $0, stream: "fuzz") },
                { try ArxivArticle(envelope: $0, stream: "fuzz") }, { try ArxivClassified(envelope: $0, stream: "fuzz") },
                { try TrainRequest(envelope: $0, stream: "fuzz") }, { try ModelTrained(envelope: $0, stream: "fuzz") },
            ]
            return decoders.reduce(envelope.body.count) { sum, decode in sum + digest { String(describing: try decode(envelope)).count } }
        },
    ]

    /// What `read` returned, or the length of the error it threw (so its description is built too).
    static func digest(_ read: () throws -> Int) -> Int {
        do { return try read() } catch { return String(describing: error).count }
    }
}
