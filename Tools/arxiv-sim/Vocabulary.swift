/// Topic words of each simulated arXiv category, and words shared by its archive: enough
/// overlap between neighbours (astro-ph.GA and astro-ph.CO, cs.LG and stat.ML) to make
/// categorisation a real task.
enum Vocabulary {
    static let archives: [String: [String]] = [
        "astro-ph": ["observations", "telescope", "spectra", "luminosity", "redshift", "emission", "survey", "photometry", "stars",
                     "galaxies", "stellar populations", "magnitudes", "simulations", "catalogue", "sky survey"],
        "cs": ["algorithm", "dataset", "benchmark", "performance", "framework", "architecture", "evaluation", "state-of-the-art",
               "experiments", "open-source implementation", "computational cost", "baselines"],
        "stat": ["estimator", "inference", "likelihood", "posterior", "asymptotic", "variance", "samples", "regression"],
        "quant-ph": ["quantum", "qubits", "hamiltonian", "fidelity", "decoherence", "quantum states"],
        "hep-th": ["field theory", "symmetry", "gauge", "dimensions", "duality", "amplitudes"],
        "hep-ph": ["collider", "cross sections", "standard model", "decays", "couplings", "phenomenology"],
        "cond-mat": ["lattice", "phase transition", "electrons", "spin", "temperature dependence", "materials"],
        "math": ["theorem", "proof", "bounds", "operators", "existence", "convergence"],
    ]

    static let categories: [String: [String]] = [
        "astro-ph.GA": ["galaxy evolution", "star formation", "interstellar medium", "stellar mass", "dwarf galaxies", "spiral arms",
                        "galactic bulge", "gas kinematics", "molecular clouds", "metallicity gradients", "galaxy mergers", "milky way halo"],
        "astro-ph.SR": ["stellar atmospheres", "asteroseismology", "binary stars", "red giants", "stellar rotation", "spectral types",
                        "effective temperature", "main sequence", "white dwarfs", "stellar activity", "chemical abundances", "pulsations"],
        "astro-ph.CO": ["cosmological parameters", "dark energy", "cosmic microwave background", "baryon acoustic oscillations",
                        "hubble constant", "large-scale structure", "dark matter halos", "weak lensing", "inflation", "reionization"],
        "astro-ph.HE": ["gamma-ray bursts", "neutron stars", "black hole accretion", "x-ray binaries", "relativistic jets",
                        "supernova remnants", "cosmic rays", "pulsar wind", "high-energy neutrinos", "magnetars"],
        "astro-ph.EP": ["exoplanets", "transit photometry", "protoplanetary disks", "radial velocity", "habitable zone", "planet formation",
                        "hot jupiters", "atmospheric retrieval", "debris disks", "orbital dynamics"],
        "astro-ph.IM": ["instrument design", "calibration pipeline", "detector noise", "adaptive optics", "data reduction",
                        "spectrograph", "observing strategy", "software pipeline", "image processing", "interferometry"],
        "cs.LG": ["neural networks", "gradient descent", "reinforcement learning", "generalization", "representation learning",
                  "training dynamics", "deep learning", "loss landscape", "transformers", "self-supervised learning", "overfitting"],
        "cs.CV": ["image segmentation", "object detection", "convolutional networks", "pixel-level", "visual recognition",
                  "video frames", "point clouds", "image generation", "depth estimation", "camera pose"],
        "cs.CL": ["language models", "machine translation", "text classification", "tokens", "sentiment analysis", "named entities",
                  "question answering", "corpus", "summarization", "dialogue systems"],
        "cs.SE": ["software testing", "code review", "bug reports", "developers", "static analysis", "test suites", "refactoring",
                  "continuous integration", "program repair", "technical debt"],
        "stat.ML": ["bayesian inference", "kernel methods", "variational inference", "gaussian processes", "statistical learning",
                    "high-dimensional regression", "sparse estimation", "causal inference", "conformal prediction", "neural networks"],
        "quant-ph": ["entanglement", "quantum circuits", "quantum error correction", "superconducting qubits", "quantum algorithms",
                     "open quantum systems", "quantum metrology", "bell inequalities"],
        "hep-th": ["string theory", "conformal field theory", "holography", "black hole entropy", "supersymmetry", "scattering amplitudes",
                   "anomalies", "moduli spaces"],
        "hep-ph": ["higgs boson", "neutrino masses", "dark matter candidates", "parton distributions", "lhc data", "flavour physics",
                   "electroweak precision", "effective field theory"],
        "cond-mat.str-el": ["strongly correlated electrons", "hubbard model", "quantum spin liquids", "superconductivity",
                            "kondo lattice", "mott insulators", "magnetic frustration", "heavy fermions"],
        "math.PR": ["random walks", "stochastic processes", "martingales", "brownian motion", "large deviations", "random matrices",
                    "percolation", "mixing times"],
    ]

    /// Relative frequency of each category (arXiv is far from balanced).
    static let weights: [String: Double] = [
        "cs.LG": 14, "cs.CV": 10, "cs.CL": 8, "astro-ph.GA": 7, "astro-ph.SR": 5, "astro-ph.CO": 6, "astro-ph.HE": 5, "quant-ph": 8,
        "hep-ph": 5, "hep-th": 5, "stat.ML": 4, "cond-mat.str-el": 4, "math.PR": 4, "astro-ph.EP": 3, "astro-ph.IM": 2, "cs.SE": 3,
    ]

    static let generic = [
        "model", "method", "results", "analysis", "approach", "data", "measurements", "properties", "structure", "framework",
        "sample", "effects", "distribution", "parameters", "constraints", "predictions", "observational evidence", "new technique",
    ]
}
