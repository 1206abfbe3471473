import ArgumentParser

@main
struct TrainerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer", abstract: "Trains and versions the spectra and text classifiers.",
        subcommands: [Serve.self, Train.self, Evaluate.self, EvaluateText.self], defaultSubcommand: Serve.self)
}
