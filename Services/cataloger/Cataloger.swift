import BlockingIO
import Contracts
import ServiceKit
import Spectra
import Streams

/// Handles downloaded spectra a read at a time: fetch each from the fetcher (checked against
/// its SHA-256) and read it, side by side; upsert the batch's catalog rows in one statement;
/// announce them in one pipelined round trip.
struct Cataloger: Sendable {
    let store: CatalogStore
    let producer: StreamProducer
    let files: PeerFiles
    /// Reading (inflating and parsing) is synchronous: off the cooperative pool.
    let threads: BlockingPool

    @Sendable func handle(batch deliveries: [Delivery]) async throws {
        let messages = try deliveries.map { try $0.decode(SpectrumDownloaded.self) }
        let entries = try await messages.concurrentMap(limit: 8) { try await self.read($0) }
        // Upsert by OBSID: a redelivery or a re-download rewrites the same row.
        try await store.upsert(zip(entries, messages).map { CatalogStore.Row(entry: $0, url: $1.url, sha256: $1.sha256) })
        try await producer.publish(traced: zip(entries, zip(messages, deliveries)).map { entry, pair in
            (SpectrumCataloged(entry: entry, url: pair.0.url, sha256: pair.0.sha256), pair.1.envelope.trace)
        })
        for (entry, delivery) in zip(entries, deliveries) {
            delivery.logger.debug("cataloged", metadata: ["obsid": "\(entry.obsid)", "file": "\(entry.file)", "class": "\(entry.objectClass)"])
        }
    }

    private func read(_ message: SpectrumDownloaded) async throws -> CatalogEntry {
        let contents = try await files.fetch(message.url, sha256: message.sha256)
        do {
            return try await threads.run { () throws(SpectrumFileError) -> CatalogEntry in
                try CatalogEntry(SpectrumFile.read(contents: contents, name: message.file))
            }
        } catch let error as SpectrumFileError {
            throw RejectedSpectrum(error: error)
        }
    }
}
