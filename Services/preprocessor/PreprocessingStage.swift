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

    @Sendable func handle(_ delivery: Delivery) async throws {
        let message = try delivery.decode(SpectrumCataloged.self)
        let contents = try await files.fetch(message.url, sha256: message.sha256)
        let (preprocessor, store, producerName, trace) = (preprocessor, store, producer.producer, delivery.envelope.trace)
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
        try await store.index(processed, path: path)
        try await producer.publish(envelope, on: SpectrumPreprocessed.stream)
    }
}
