import ArgumentParser
import Contracts
import Foundation
import HTTPClient
import Hummingbird
import ServiceKit
import Streams

@main
struct DriftMonitorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "drift-monitor", abstract: "Compares live data and predictions with the training profile.")

    func run() async throws {
        try await Self.buildService().run()
    }
}
