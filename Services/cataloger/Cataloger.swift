import BlockingIO
import Contracts
import ServiceKit
import Spectra
import Streams

/// Handles one downloaded spectrum: fetch it from the fetcher (checked against its SHA-256),
/// read and check it, upsert its catalog row, announce it.
struct Cataloger: Sendable {
    let store: CatalogStore
    let producer: StreamProducer
    let files: PeerFiles
    /// Reading (inflating and parsing) is synchronous: off the cooperative pool.
    let threads: BlockingPool

    @Sendable func handle(_ delivery: Delivery) async throws {
        let message = try delivery.decode(SpectrumDownloaded.self)
        let contents = try await files.fetch(message.url, sha256: message.sha256)
        let entry: CatalogEntry
        do {
            entry = try await threads.run { () throws(SpectrumFileError) -> CatalogEntry in
                try CatalogEntry(SpectrumFile.read(contents: contents, name: message.file))
            }
        } catch let error as SpectrumFileError {
            throw RejectedSpectrum(error: error)
        }
        // Upsert by OBSID: a redelivery or a re-download rewrites the same row.
        try await store.upsert(entry, url: message.url, sha256: message.sha256)
        try await producer.publish(SpectrumCataloged(entry: entry, url: message.url, sha256: message.sha256), trace: delivery.envelope.trace)
        delivery.logger.debug("cataloged", metadata: ["obsid": "\(entry.obsid)", "file": "\(entry.file)", "class": "\(entry.objectClass)"])
    }
}
