import BlockingIO
import Contracts
import ServiceKit
import Spectra
import Streams

/// `spectra.cataloged` → fetch the file, mask, resample, normalise → keep it → `spectra.preprocessed`.
struct PreprocessingStage: Sendable {
    let store: ProcessedStore
    let producer: StreamProducer
    /// Where the file comes from: the fetcher that announced it, over HTTP.
    let files: PeerFiles
    /// cfitsio and the arithmetic run here, off the cooperative pool.
    let threads: BlockingPool
    let preprocessor = Preprocessor()

    /// The spectra of one read side by side (fetch, process, keep), then their index rows in
    /// one statement and their announcements in one pipelined round trip.
    @Sendable func handle(batch deliveries: [Delivery]) async throws {
        // A spectrum announced twice in one read is processed once, as its later message says.
        var latest: [Int: (message: SpectrumCataloged, trace: String)] = [:]
        for delivery in deliveries {
            let message = try delivery.decode(SpectrumCataloged.self)
            latest[message.entry.obsid] = (message, delivery.envelope.trace)
        }
        let unique = latest.keys.sorted().compactMap { latest[$0] }
        let done = try await unique.concurrentMap(limit: 8) { try await self.process($0.message, trace: $0.trace) }
        try await store.index(done.map { ($0.processed, $0.path) })
        try await producer.publish(envelopes: done.map(\.envelope), on: SpectrumPreprocessed.stream)
    }

    /// One spectrum preprocessed and written to this service's disk, with its announcement.
    struct Kept: Sendable {
        var processed: SpectrumPreprocessed
        var envelope: Envelope
        var path: String
    }

    private func process(_ message: SpectrumCataloged, trace: String) async throws -> Kept {
        let contents = try await files.fetch(message.url, sha256: message.sha256)
        let (preprocessor, store, producerName) = (preprocessor, store, producer.producer)
        let processed: SpectrumPreprocessed
        let envelope: Envelope
        do {
            // The message is encoded once, here on the pool: its body is also the kept file
            // (three arrays as base64 text make JSON encoding the costliest step after the maths).
            (processed, envelope) = try await threads.run { () throws -> (SpectrumPreprocessed, Envelope) in
                let spectrum = try preprocessor.process(SpectrumFile.read(contents: contents, name: message.entry.file))
                let processed = SpectrumPreprocessed(entry: message.entry, sha256: message.sha256, spectrum: spectrum)
                return (processed, try processed.envelope(trace: trace, producer: producerName))
            }
        } catch let error as SpectrumFileError {
            throw RejectedSpectrum(error: error)
        }
        let path = try await threads.run { try store.writeFile(json: envelope.body, obsid: processed.entry.obsid) }
        return Kept(processed: processed, envelope: envelope, path: path)
    }
}
