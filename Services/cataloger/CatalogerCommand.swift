import ArgumentParser

@main
struct CatalogerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cataloger", abstract: "Reads FITS headers into the spectra catalog.",
        subcommands: [Serve.self, Inspect.self], defaultSubcommand: Serve.self)
}
