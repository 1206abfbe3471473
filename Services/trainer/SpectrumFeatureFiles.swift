import BlockingIO
import Foundation
import Spectra

/// Reads FITS files into labelled feature vectors with exactly the services' code path
/// (read → catalog entry → preprocess → features), on a thread pool. Bad files are returned
/// as errors naming the file; they do not stop the others.
enum SpectrumFeatureFiles {
    static func load(_ paths: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount) async throws -> (examples: [LabelledSpectrum], errors: [String]) {
        let pool = BlockingPool(threads: threads)
        let preprocessor = Preprocessor(), extractor = FeatureExtractor()
        let results = try await withThrowingTaskGroup(of: (Int, Result<LabelledSpectrum, SpectrumFileError>).self) { group in
            for (index, path) in paths.enumerated() {
                group.addTask {
                    let result = try await pool.run {
                        Result { () throws(SpectrumFileError) -> LabelledSpectrum in
                            let file = try SpectrumFile.read(path)
                            let entry = try CatalogEntry(file)
                            let features = extractor.extract(try preprocessor.process(file), redshift: entry.redshift)
                            return LabelledSpectrum(
                                obsid: entry.obsid, objectClass: entry.objectClass, subclass: entry.subclass, features: features, plan: entry.planId,
                                source: entry.source)
                        }
                    }
                    return (index, result)
                }
            }
            var results: [(Int, Result<LabelledSpectrum, SpectrumFileError>)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var examples: [LabelledSpectrum] = [], errors: [String] = []
        for result in results {
            switch result {
            case let .success(example): examples.append(example)
            case let .failure(error): errors.append("\(error)")
            }
        }
        return (examples, errors)
    }

    /// The `.fits` and `.fits.gz` files under a directory, sorted: plan subdirectories included,
    /// symbolic links to files and to directories followed (each real directory walked once).
    static func paths(in directory: String) throws -> [String] {
        var found: [String] = [], visited = Set<String>()
        func walk(_ path: String) throws {
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard visited.insert(real).inserted else { return }
            for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() {
                let child = path + "/" + name
                var isDirectory: ObjCBool = false
                // fileExists follows links: a link to a directory is walked, a dangling one skipped.
                guard FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    try walk(child)
                } else if name.hasSuffix(".fits") || name.hasSuffix(".fits.gz") {
                    found.append(child)
                }
            }
        }
        try walk(directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory)
        return found.sorted()
    }
}
