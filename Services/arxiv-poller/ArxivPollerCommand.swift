import ArgumentParser

@main
struct ArxivPollerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "arxiv-poller", abstract: "Harvests arXiv papers: polls its API, backfills over the API or OAI-PMH, imports metadata files.",
        subcommands: [Serve.self, Parse.self, Poll.self, Backfill.self, Import.self], defaultSubcommand: Serve.self)
}
