import ArgumentParser

@main
struct FeatureExtractorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feature-extractor", abstract: "Measures line features of preprocessed spectra.",
        subcommands: [Serve.self, Inspect.self], defaultSubcommand: Serve.self)
}
