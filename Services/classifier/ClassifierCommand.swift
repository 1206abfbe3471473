import ArgumentParser

@main
struct ClassifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classifier", abstract: "Classifies spectra and papers with the latest models.",
        subcommands: [Serve.self], defaultSubcommand: Serve.self)
}
