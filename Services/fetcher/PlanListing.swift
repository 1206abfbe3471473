import Foundation
import HTTPClient

/// The spectrum files of one plan directory: an archive's HTML index page, or a `file://`
/// directory, which is its own listing.
enum PlanListing {
    static func files(baseURL: String, plan: String, http: HTTPClient) async throws -> [String] {
        let directory = baseURL.hasSuffix("/") ? baseURL + plan : baseURL + "/" + plan
        if directory.hasPrefix("file://") {
            let path = String(directory.dropFirst("file://".count))
            return try FileManager.default.contentsOfDirectory(atPath: path).filter(isSpectrum).sorted()
        }
        let page = try await http.get(directory + "/").text
        return fileNames(inIndexPage: page)
    }

    /// `href="spec-….fits.gz"` links of an Apache/nginx index page, in order, without duplicates.
    static func fileNames(inIndexPage page: String) -> [String] {
        var names: [String] = []
        var seen = Set<String>()
        var rest = page[...]
        while let start = rest.range(of: "href=\"") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { break }
            let target = String(rest[..<end])
            let name = target.split(separator: "/").last.map(String.init) ?? target
            if isSpectrum(name), !seen.contains(name) {
                names.append(name)
                seen.insert(name)
            }
            rest = rest[end...]
        }
        return names
    }

    static func isSpectrum(_ name: String) -> Bool {
        name.hasPrefix("spec-") && (name.hasSuffix(".fits.gz") || name.hasSuffix(".fits"))
    }

    /// Interleaves the plans' files (first of each plan, then second of each…) so that one
    /// huge plan does not starve the others.
    static func roundRobin(_ plans: [(plan: String, files: [String])]) -> [(plan: String, file: String)] {
        var order: [(String, String)] = []
        let longest = plans.map(\.files.count).max() ?? 0
        for index in 0..<longest {
            for (plan, files) in plans where index < files.count { order.append((plan, files[index])) }
        }
        return order
    }
}
