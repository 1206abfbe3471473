import ArgumentParser

@main
struct FetcherCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetcher", abstract: "Downloads LAMOST spectra by observation plan.",
        subcommands: [Serve.self, Enqueue.self], defaultSubcommand: Serve.self)
}
