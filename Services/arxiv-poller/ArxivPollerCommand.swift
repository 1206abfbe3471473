import ArgumentParser

@main
struct ArxivPollerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arxiv-poller", abstract: "Polls the arXiv API for new papers.",
        subcommands: [Serve.self, Parse.self, Poll.self], defaultSubcommand: Serve.self)
}
