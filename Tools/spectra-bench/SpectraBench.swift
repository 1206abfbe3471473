import ArgumentParser
import Foundation
import Spectra
import Synchronization

/// Spectra per second for each stage's work (read + catalog, preprocess, features) and end to
/// end, on one thread and on all cores, over a directory of spectra (the simulator's by default).
///
///     swift run -c release starstream-sim --count 2000 --seed 1 --out .local/sim
///     swift run -c release spectra-bench --dir .local/sim
@main
struct SpectraBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectra-bench", abstract: "Throughput of the spectra stages on FITS files (release build).")

    @Option(help: "Directory searched for .fits / .fits.gz files.") var dir: String
    @Option(help: "Threads for the parallel run (default: all cores).") var threads = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: "The goal to compare with, spectra/s end to end.") var goal = 1000.0

    func run() throws {
        let files = (FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".fits") || $0.hasSuffix(".fits.gz") }.sorted().map { dir + "/" + $0 }
        guard !files.isEmpty else { throw ValidationError("no FITS files under \(dir)") }
        print("spectra-bench: \(files.count) files under \(dir), \(threads) threads for the parallel run")

        // Stage by stage on one thread, each on the previous stage's output.
        let clock = ContinuousClock()
        var read: [SpectrumFile] = []
        let readTime = clock.measure { read = files.compactMap { try? SpectrumFile.read($0) } }
        var entries: [CatalogEntry?] = []
        let catalogTime = clock.measure { entries = read.map { try? CatalogEntry($0) } }
        let preprocessor = Preprocessor()
        var processed: [PreprocessedSpectrum?] = []
        let preprocessTime = clock.measure { processed = read.map { try? preprocessor.process($0) } }
        let extractor = FeatureExtractor()
        let featureTime = clock.measure {
            for (spectrum, entry) in zip(processed, entries) { if let spectrum { _ = extractor.extract(spectrum, redshift: entry?.redshift) } }
        }
        let usable = processed.compactMap { $0 }.count
        func row(_ label: String, _ count: Int, _ time: Duration) {
            let seconds = Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18
            print(label.padding(toLength: 52, withPad: " ", startingAt: 0) + String(format: "%9.0f spectra/s  (%d in %.2f s)", Double(count) / seconds, count, seconds))
        }
        row("read FITS (libdeflate + cfitsio), 1 thread", read.count, readTime)
        row("catalog entry from header, 1 thread", read.count, catalogTime)
        row("preprocess (mask, resample, continuum), 1 thread", read.count, preprocessTime)
        row("features (lines-v2), 1 thread", usable, featureTime)
        read = []
        processed = []

        // End to end, as a worker runs: each file through every stage before the next one, on
        // one thread and on every core (threads take files from a shared counter).
        func endToEnd(threads: Int) -> (done: Int, time: Duration) {
            let next = Atomic<Int>(0)
            let done = Atomic<Int>(0)
            let time = clock.measure {
                // One preprocessor and extractor shared by all threads, as a service's handlers share them.
                DispatchQueue.concurrentPerform(iterations: threads) { _ in
                    while true {
                        let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < files.count else { return }
                        guard let file = try? SpectrumFile.read(files[index]), let entry = try? CatalogEntry(file),
                            let spectrum = try? preprocessor.process(file)
                        else { continue }
                        _ = extractor.extract(spectrum, redshift: entry.redshift)
                        done.wrappingAdd(1, ordering: .relaxed)
                    }
                }
            }
            return (done.load(ordering: .relaxed), time)
        }
        let single = endToEnd(threads: 1)
        row("all stages, 1 thread", single.done, single.time)
        let parallel = endToEnd(threads: threads)
        let parallelTime = parallel.time
        row("all stages, \(threads) threads", parallel.done, parallelTime)
        let seconds = Double(parallelTime.components.seconds) + Double(parallelTime.components.attoseconds) / 1e18
        print(String(format: "goal: %.0f spectra/s end to end; measured %.0f (%.0f%% of the goal)", goal, Double(parallel.done) / seconds,
                     100 * Double(parallel.done) / seconds / goal))
    }
}
