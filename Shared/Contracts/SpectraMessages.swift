import Learning
import Spectra
import Streams

/// `spectra.downloaded` v2: a spectrum file is complete and verified, and served at `url`.
///
/// v2 names where to fetch the file (the fetcher's `GET /files/<plan>/<file>`) where v1 named
/// a path on a disk the consumers had to share; v1 messages still in a stream are read as a
/// `file://` URL of that path (`SpectrumDownloadedV1`).
public struct SpectrumDownloaded: UpgradingStreamMessage, Equatable {
    public static let stream = StreamName.spectraDownloaded
    public static let type = "spectra.downloaded"
    public static let version = 2

    /// The file name as published by the survey (`spec-55862-B6202_sp01-001.fits.gz`).
    public var file: String
    /// Where consumers fetch the file: the fetcher replica that holds it
    /// (`http://fetcher-1:8081/files/B6202/spec-….fits.gz`), or a `file://` URL on one host.
    public var url: String
    /// The observation plan it belongs to (`B6202`), as the fetcher knew it.
    public var plan: String
    /// Of the file's bytes; consumers check what they fetch against it.
    public var sha256: String
    public var bytes: Int
    /// Where the fetcher downloaded it from (the archive, or a `file://` mirror).
    public var sourceURL: String

    enum CodingKeys: String, CodingKey {
        case file, url, plan, sha256, bytes, sourceURL = "source_url"
    }

    public init(file: String, url: String, plan: String, sha256: String, bytes: Int, sourceURL: String) {
        (self.file, self.url, self.plan, self.sha256, self.bytes, self.sourceURL) = (file, url, plan, sha256, bytes, sourceURL)
    }

    public init(upgrading previous: SpectrumDownloadedV1) {
        self.init(
            file: previous.file, url: FileURL.of(path: previous.path), plan: previous.plan, sha256: previous.sha256,
            bytes: previous.bytes, sourceURL: previous.sourceURL)
    }

    /// The same file with the same content is the same message (in either version).
    public var idempotencyKey: String { "downloaded:\(file):\(sha256)" }
}

/// `spectra.cataloged` v2: a spectrum passed header and data checks and has its catalog row;
/// the file is still where `spectra.downloaded` said (v1 carried a path instead of `url`).
public struct SpectrumCataloged: UpgradingStreamMessage, Equatable {
    public static let stream = StreamName.spectraCataloged
    public static let type = "spectra.cataloged"
    public static let version = 2

    public var entry: CatalogEntry
    /// As in `spectra.downloaded`.
    public var url: String
    public var sha256: String

    public init(entry: CatalogEntry, url: String, sha256: String) {
        (self.entry, self.url, self.sha256) = (entry, url, sha256)
    }

    public init(upgrading previous: SpectrumCatalogedV1) {
        self.init(entry: previous.entry, url: FileURL.of(path: previous.path), sha256: previous.sha256)
    }

    public var idempotencyKey: String { "cataloged:\(entry.obsid):\(sha256)" }
}

/// `spectra.preprocessed` v1: a spectrum masked, on the common grid and continuum-normalised.
/// Carries the normalised arrays, so the feature extractor needs nothing else.
public struct SpectrumPreprocessed: StreamMessage {
    public static let stream = StreamName.spectraPreprocessed
    public static let type = "spectra.preprocessed"
    public static let version = 1

    public var entry: CatalogEntry
    public var sha256: String
    public var grid: WavelengthGrid
    /// Continuum-normalised flux on `grid`; 0 where masked.
    public var flux: PackedFloats
    /// Its inverse variance; 0 marks a masked pixel.
    public var inverseVariance: PackedFloats
    /// The fitted continuum in the file's flux units (its shape is the spectrum's colour).
    public var continuum: PackedFloats
    public var goodFraction: Double
    public var medianSNR: Double

    enum CodingKeys: String, CodingKey {
        case entry, sha256, grid, flux, continuum, inverseVariance = "inverse_variance", goodFraction = "good_fraction", medianSNR = "median_snr"
    }

    public init(entry: CatalogEntry, sha256: String, spectrum: PreprocessedSpectrum) {
        self.entry = entry
        self.sha256 = sha256
        grid = spectrum.grid
        flux = PackedFloats(spectrum.flux)
        inverseVariance = PackedFloats(spectrum.inverseVariance)
        continuum = PackedFloats(spectrum.continuum)
        goodFraction = spectrum.goodFraction
        medianSNR = spectrum.medianSNR
    }

    /// The spectrum as the feature extractor measures it.
    public var spectrum: PreprocessedSpectrum {
        PreprocessedSpectrum(
            grid: grid, flux: flux.values.map(Double.init), inverseVariance: inverseVariance.values.map(Double.init),
            continuum: continuum.values.map(Double.init), goodFraction: goodFraction, medianSNR: medianSNR)
    }

    public var idempotencyKey: String { "preprocessed:\(entry.obsid):\(sha256)" }

    /// The feature vector of this spectrum, as the feature extractor (and its `inspect`) measures it.
    public func features(_ extractor: FeatureExtractor = FeatureExtractor()) -> FeatureVector {
        extractor.extract(spectrum, redshift: entry.redshift)
    }
}

/// `spectra.features` v1: the named feature vector of one spectrum, with its catalog row (for labels).
public struct SpectrumFeatures: StreamMessage, Equatable {
    public static let stream = StreamName.spectraFeatures
    public static let type = "spectra.features"
    public static let version = 1

    public var entry: CatalogEntry
    public var sha256: String
    public var features: FeatureVector

    public init(entry: CatalogEntry, sha256: String, features: FeatureVector) {
        (self.entry, self.sha256, self.features) = (entry, sha256, features)
    }

    public var idempotencyKey: String { "features:\(entry.obsid):\(sha256):\(features.version)" }
}

/// `spectra.fetch-requests` v1: download these observation plans from a DR5-style archive.
public struct SpectraFetchRequest: StreamMessage, Equatable {
    public static let stream = StreamName.spectraFetchRequests
    public static let type = "spectra.fetch-request"
    public static let version = 1

    /// Chosen by whoever asks (`fetcher enqueue` makes a UUID): asking twice is two requests.
    public var requestId: String
    /// The archive's date directory, `https://dr5.lamost.org/v3/sas/fits/20111028`, or a `file://` mirror.
    public var baseURL: String
    /// Plan directories under it (`GAC_105N29_B1`).
    public var plans: [String]
    /// At most this many files per plan (nil: all).
    public var limitPerPlan: Int?
    /// For a `file://` base: record and serve the files where they lie instead of copying them
    /// (absent: false; added in v1 as optional, so older requests read the same).
    public var inPlace: Bool?

    enum CodingKeys: String, CodingKey {
        case requestId = "request_id", baseURL = "base_url", plans, limitPerPlan = "limit_per_plan", inPlace = "in_place"
    }

    public init(requestId: String, baseURL: String, plans: [String], limitPerPlan: Int? = nil, inPlace: Bool? = nil) {
        (self.requestId, self.baseURL, self.plans, self.limitPerPlan, self.inPlace) = (requestId, baseURL, plans, limitPerPlan, inPlace)
    }

    public var idempotencyKey: String { "fetch:\(requestId)" }
}

/// One model's answer for one spectrum.
public struct SpectrumPrediction: Codable, Sendable, Equatable {
    public var label: String
    /// Probability of each class the model knows.
    public var probabilities: [String: Double]
    /// `spectra-class@3`.
    public var model: String
    /// MK only, when the model has a type-index regressor: the regressed type (`K3`) and its
    /// index (A0 = 20 … M9 = 69). Optional, added in v1.
    public var subtype: String?
    public var typeIndex: Double?
    /// Why the model chose `label`: exact TreeSHAP contributions of the top features. Stored
    /// and served by the classifier; not sent in `spectra.classified` (it would double the
    /// message for readers that do not need it).
    public var explanation: Explanation?

    enum CodingKeys: String, CodingKey {
        case label, probabilities, model, subtype, typeIndex = "type_index", explanation
    }

    public init(label: String, probabilities: [String: Double], model: String, subtype: String? = nil, typeIndex: Double? = nil, explanation: Explanation? = nil) {
        (self.label, self.probabilities, self.model) = (label, probabilities, model)
        (self.subtype, self.typeIndex, self.explanation) = (subtype, typeIndex, explanation)
    }

    /// The prediction as `spectra.classified` carries it: without the explanation.
    public var announced: SpectrumPrediction {
        var copy = self
        copy.explanation = nil
        return copy
    }
}

/// `spectra.classified` v1: a spectrum's predicted CLASS (and MK letter when it is predicted
/// to be a star and an MK model exists), beside the survey's own labels.
public struct SpectrumClassified: StreamMessage, Equatable {
    public static let stream = StreamName.spectraClassified
    public static let type = "spectra.classified"
    public static let version = 1

    public var obsid: Int
    public var file: String
    public var sha256: String
    public var featureVersion: String
    public var objectClass: SpectrumPrediction
    public var mkLetter: SpectrumPrediction?
    /// The survey pipeline's CLASS and SUBCLASS, for live accuracy.
    public var surveyClass: String
    public var surveySubclass: String

    enum CodingKeys: String, CodingKey {
        case obsid, file, sha256, featureVersion = "feature_version", objectClass = "class", mkLetter = "mk_letter",
             surveyClass = "survey_class", surveySubclass = "survey_subclass"
    }

    public init(
        obsid: Int, file: String, sha256: String, featureVersion: String, objectClass: SpectrumPrediction, mkLetter: SpectrumPrediction?,
        surveyClass: String, surveySubclass: String
    ) {
        (self.obsid, self.file, self.sha256, self.featureVersion) = (obsid, file, sha256, featureVersion)
        (self.objectClass, self.mkLetter, self.surveyClass, self.surveySubclass) = (objectClass, mkLetter, surveyClass, surveySubclass)
    }

    public var idempotencyKey: String { "classified:\(obsid):\(sha256):\(objectClass.model):\(mkLetter?.model ?? "-")" }
}
