// swift-tools-version:6.1
// Starstream: two science-data pipelines as Swift microservices over Redis Streams.
import PackageDescription

/// The ten deployable services; each is an executable target in `Services/<name>/`.
let services = [
    "fetcher", "cataloger", "preprocessor", "feature-extractor", "trainer",
    "arxiv-poller", "summarizer", "classifier", "drift-monitor", "gateway",
]

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// A SwiftPM system-library target for one C library found through pkg-config.
func systemLibrary(_ name: String, pkgConfig: String, apt: [String]) -> Target {
    .systemLibrary(name: name, path: "Shared/C/\(name)", pkgConfig: pkgConfig, providers: [.apt(apt)])
}

/// A library in `Shared/<name>/`.
func shared(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .target(name: name, dependencies: dependencies, path: "Shared/\(name)", swiftSettings: swiftSettings)
}

let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")

let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")

/// What each service uses beyond the kit every one has (ServiceKit, Contracts, Streams, the
/// argument parser): a binary links only what it names, so the image's list of libraries
/// follows from here (deploy/check-image.sh checks it).
let serviceDependencies: [String: [Target.Dependency]] = [
    "fetcher": ["BlockingIO", "HTTPClient", "Postgres", "Redis", hummingbird],
    "cataloger": ["BlockingIO", "Postgres", "Spectra", hummingbird],
    "preprocessor": ["BlockingIO", "Postgres", "Spectra", hummingbird],
    "feature-extractor": ["BlockingIO", "Postgres", "Spectra", hummingbird],
    "trainer": ["Arxiv", "AtomFeed", "BlockingIO", "HTTPClient", "Learning", "Postgres", "Redis", "Spectra", hummingbird],
    "arxiv-poller": ["Arxiv", "AtomFeed", "OAIPMH", "Deflate", "HTTPClient", "Postgres", "Redis", hummingbird],
    "summarizer": ["Arxiv", "HTTPClient", "Learning", "Mongo", hummingbird],
    "classifier": ["Arxiv", "HTTPClient", "Learning", "Mongo", "Redis", "Spectra", hummingbird],
    "drift-monitor": ["HTTPClient", "Learning", "Postgres", hummingbird],
    "gateway": ["Arxiv", "HTTPClient", "Redis", hummingbird],
]

let package = Package(
    name: "starstream",
    platforms: [.macOS(.v15)],
    products: services.map { .executable(name: $0, targets: [$0]) } + [
        .executable(name: "stream-probe", targets: ["stream-probe"]),
        .executable(name: "stream-bench", targets: ["stream-bench"]),
        .executable(name: "starstream-sim", targets: ["starstream-sim"]),
        .executable(name: "spectra-bench", targets: ["spectra-bench"]),
        .executable(name: "arxiv-sim", targets: ["arxiv-sim"]),
        .executable(name: "starstream-fuzz", targets: ["starstream-fuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        systemLibrary("CHiredis", pkgConfig: "hiredis", apt: ["libhiredis-dev"]),
        systemLibrary("CLibpq", pkgConfig: "libpq", apt: ["libpq-dev"]),
        systemLibrary("CMongoc", pkgConfig: "libmongoc-1.0", apt: ["libmongoc-dev", "libbson-dev"]),
        systemLibrary("CCurl", pkgConfig: "libcurl", apt: ["libcurl4-openssl-dev"]),
        systemLibrary("CFitsio", pkgConfig: "cfitsio", apt: ["libcfitsio-dev"]),
        systemLibrary("CDeflate", pkgConfig: "libdeflate", apt: ["libdeflate-dev"]),

        // One safe Swift module per C library: no raw pointer leaves them.
        shared("BlockingIO", [nioPosix]),
        shared("Redis", ["CHiredis", "BlockingIO"]),
        shared("Postgres", ["CLibpq", "BlockingIO"]),
        shared("Mongo", ["CMongoc", "BlockingIO"]),
        shared("HTTPClient", ["CCurl", "BlockingIO"]),
        shared("Deflate", ["CDeflate"]),
        shared("FITS", ["CFitsio", "Deflate"]),

        // Spectra domain logic shared by the spectra services and their inspection commands.
        shared("Spectra", ["FITS"]),
        // Machine learning written in Swift (forests, text models, metrics, drift statistics): no C, no services.
        shared("Learning", []),
        // arXiv papers as Swift values; a strict XML reader of our own (no FoundationXML, so no
        // libxml2 in any image); the parsers of the API's Atom feeds and of OAI-PMH on it.
        shared("Arxiv", ["Deflate"]),
        shared("XMLScan", []),
        shared("AtomFeed", ["Arxiv", "XMLScan"]),
        shared("OAIPMH", ["Arxiv", "XMLScan"]),

        // The stream runtime, the message contracts and the kit every service is built with.
        shared("Streams", ["Redis", "BlockingIO", logging, metrics, lifecycle]),
        shared("Contracts", ["Streams", "Spectra", "Learning", "Arxiv"]),
        shared("ServiceKit", [
            "Streams", "Contracts", "Redis", "Postgres", "Mongo", "HTTPClient", logging, metrics, lifecycle,
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
    ] + services.map { service in
        .executableTarget(
            name: service,
            dependencies: serviceDependencies[service, default: []] + ["ServiceKit", "Contracts", "Streams", argumentParser],
            path: "Services/\(service)",
            swiftSettings: swiftSettings
        )
    } + [
        .executableTarget(
            name: "stream-probe",
            dependencies: ["ServiceKit", "Streams", "Redis", argumentParser],
            path: "Tools/stream-probe",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "stream-bench",
            dependencies: ["Streams", "Redis", argumentParser, lifecycle, logging],
            path: "Tools/stream-bench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "starstream-sim",
            dependencies: ["FITS", argumentParser],
            path: "Tools/starstream-sim",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "spectra-bench",
            dependencies: ["Spectra", argumentParser],
            path: "Tools/spectra-bench",
            swiftSettings: swiftSettings
        ),
        // Every reader of outside input under libFuzzer (deploy/fuzz.sh); built normally, it replays files.
        .executableTarget(
            name: "starstream-fuzz",
            dependencies: ["Spectra", "Deflate", "XMLScan", "AtomFeed", "OAIPMH", "Arxiv", "Streams", "Redis", "Contracts"],
            path: "Tools/starstream-fuzz",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "arxiv-sim",
            dependencies: ["Learning", argumentParser],
            path: "Tools/arxiv-sim",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StarstreamTests",
            dependencies: [
                "Redis", "Postgres", "Mongo", "HTTPClient", "Deflate", "FITS", "Spectra", "Learning", "Arxiv", "AtomFeed", "Streams", "Contracts", "ServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"), lifecycle,
                "stream-probe", "starstream-sim", "arxiv-sim",
            ] + services.map { .target(name: $0) },
            path: "Tests/StarstreamTests",
            swiftSettings: swiftSettings
        ),
    ]
)
