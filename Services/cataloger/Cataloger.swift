import BlockingIO
import Contracts
import Spectra
import Streams

/// Handles one downloaded spectrum: read and check it, upsert its catalog row, announce it.
struct Cataloger: Sendable {
    let store: CatalogStore
    let producer: StreamProducer
    /// Reading (inflating and parsing) is synchronous: off the cooperative pool.
    let files: BlockingPool

    @Sendable func handle(_ delivery: Delivery) async throws {
        let message = try delivery.decode(SpectrumDownloaded.self)
        let entry: CatalogEntry
        do {
            entry = try await files.run { () throws(SpectrumFileError) -> CatalogEntry in
                try CatalogEntry(SpectrumFile.read(message.path))
            }
        } catch let error as SpectrumFileError {
            throw RejectedSpectrum(error: error)
        }
        // Upsert by OBSID: a redelivery or a re-download rewrites the same row.
        try await store.upsert(entry, path: message.path, sha256: message.sha256)
        try await producer.publish(SpectrumCataloged(entry: entry, path: message.path, sha256: message.sha256), trace: delivery.envelope.trace)
        delivery.logger.debug("cataloged", metadata: ["obsid": "\(entry.obsid)", "file": "\(entry.file)", "class": "\(entry.objectClass)"])
    }
}
