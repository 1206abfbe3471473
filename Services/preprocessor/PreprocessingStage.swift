import BlockingIO
import Contracts
import Spectra
import Streams

/// `spectra.cataloged` → read the file, mask, resample, normalise → keep it → `spectra.preprocessed`.
struct PreprocessingStage: Sendable {
    let store: ProcessedStore
    let producer: StreamProducer
    /// cfitsio and the arithmetic run here, off the cooperative pool.
    let threads: BlockingPool
    let preprocessor = Preprocessor()

    @Sendable func handle(_ delivery: Delivery) async throws {
        let message = try delivery.decode(SpectrumCataloged.self)
        let (preprocessor, store) = (preprocessor, store)
        let processed: SpectrumPreprocessed
        do {
            processed = try await threads.run { () throws(SpectrumFileError) -> SpectrumPreprocessed in
                let spectrum = try preprocessor.process(SpectrumFile.read(message.path))
                return SpectrumPreprocessed(entry: message.entry, sha256: message.sha256, spectrum: spectrum)
            }
        } catch let error as SpectrumFileError {
            throw RejectedSpectrum(error: error)
        }
        let path = try await threads.run { try store.writeFile(processed) }
        try await store.index(processed, path: path)
        try await producer.publish(processed, trace: delivery.envelope.trace)
    }
}
