import Contracts
import Foundation
import HTTPClient
import Redis
import ServiceKit

/// Where each service answers HTTP: `<SERVICE>_URL` (`FEATURE_EXTRACTOR_URL`), by default
/// its default port on loopback.
struct ServiceEndpoints: Sendable {
    let urls: [(name: String, url: String)]

    init(environment: EnvironmentReader) throws {
        urls = ServiceDirectory.services.filter { $0.name != "gateway" }.map { entry in
            let variable = entry.name.uppercased().replacingOccurrences(of: "-", with: "_") + "_URL"
            return (entry.name, environment.string(variable, default: "http://127.0.0.1:\(entry.port)"))
        }
    }
}

struct ServiceHealth: Codable, Sendable {
    var name: String
    var url: String
    var reachable: Bool
    var ready: Bool
    var report: ReadinessReport?
    var error: String?
}

struct GroupHealth: Codable, Sendable {
    var name: String
    var consumers: Int
    var pending: Int
    var lag: Int?
    /// Redis' count of entries delivered to the group, sampled for throughput.
    var entriesRead: Int?
}

struct StreamHealth: Codable, Sendable {
    var name: String
    var length: Int
    var groups: [GroupHealth]
    var deadLetters: Int
    /// Why Redis could not describe the stream (it is down), if it could not.
    var error: String?
}

struct SystemStatus: Codable, Sendable {
    var generatedAt: Date
    var services: [ServiceHealth]
    var streams: [StreamHealth]
    /// How old this snapshot is (the gateway refreshes it in the background).
    var ageSeconds: Double?
    var throughput: [GroupThroughput]?
}

/// Asks every service for `/readyz` and Redis for every stream's groups, lag and dead letters.
struct StatusAggregator: Sendable {
    let redis: RedisConnection
    let services: ServiceEndpoints
    let http = HTTPClient.failingFast(requestTimeout: .seconds(3), connectTimeout: .seconds(1))

    func snapshot() async -> SystemStatus {
        async let streams = streams()
        let health = await withTaskGroup(of: ServiceHealth.self) { group in
            for (name, url) in services.urls { group.addTask { await probe(name: name, url: url) } }
            return await group.reduce(into: []) { $0.append($1) }.sorted { $0.name < $1.name }
        }
        return SystemStatus(generatedAt: Date(), services: health, streams: await streams)
    }

    func streams() async -> [StreamHealth] {
        var result: [StreamHealth] = []
        for stream in StreamName.all {
            do {
                let length = try await redis.xlen(stream)
                let groups: [StreamGroupInfo]
                do {
                    groups = try await redis.xinfoGroups(stream)
                } catch let error as RedisError where error.description.contains("no such key") {
                    groups = []  // nothing published on it yet
                }
                let deadLetters = try await redis.xlen(stream + ".dlq")
                result.append(StreamHealth(
                    name: stream, length: length,
                    groups: groups.map { GroupHealth(name: $0.name, consumers: $0.consumers, pending: $0.pending, lag: $0.lag, entriesRead: $0.entriesRead) },
                    deadLetters: deadLetters))
            } catch {
                result.append(StreamHealth(name: stream, length: 0, groups: [], deadLetters: 0, error: "\(error)"))
            }
        }
        return result
    }

    private func probe(name: String, url: String) async -> ServiceHealth {
        do {
            let response = try await http.send(HTTPClientRequest(url: url + "/readyz"))
            let decoder = JSONDecoder()
            let report = try? decoder.decode(ReadinessReport.self, from: Data(response.body))
            return ServiceHealth(name: name, url: url, reachable: true, ready: response.status == 200, report: report, error: nil)
        } catch {
            return ServiceHealth(name: name, url: url, reachable: false, ready: false, report: nil, error: "\(error)")
        }
    }
}
