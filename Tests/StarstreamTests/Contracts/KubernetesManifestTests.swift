import Contracts
import Foundation
import Testing

/// The Kubernetes manifests against what the code says: the schemas themselves are checked by
/// deploy/validate-k8s.sh (kubernetes-validate and KEDA's CRD schema); this suite checks that
/// the manifests describe these services — their streams, groups, roles and shutdown.
@Suite("Kubernetes: the manifests deploy every service as the code expects it")
struct KubernetesManifestTests {
    static var base: URL { Fixtures.repository.appendingPathComponent("deploy/k8s/base") }

    /// The YAML documents of one manifest file, as text.
    static func documents(of service: String) throws -> [String] {
        let text = try String(contentsOf: base.appendingPathComponent("\(service).yaml"), encoding: .utf8)
        return text.components(separatedBy: "\n---\n")
    }

    static func document(_ kind: String, of service: String) throws -> String? {
        try documents(of: service).first { $0.contains("\nkind: \(kind)\n") }
    }

    /// Every capture of `pattern`'s first group in `text`.
    static func captures(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test("the kustomization lists one file per service, and each file runs that service's command with /livez and /readyz probes")
    func onePerService() throws {
        let kustomization = try String(contentsOf: Self.base.appendingPathComponent("kustomization.yaml"), encoding: .utf8)
        for service in ServiceDirectory.services.map(\.name) {
            #expect(kustomization.contains("  - \(service).yaml\n"), "kustomization.yaml does not list \(service).yaml")
            let deployment = try #require(try Self.document("Deployment", of: service), "no Deployment for \(service)")
            #expect(deployment.contains("  name: \(service)\n"))
            #expect(deployment.contains("command: [\(service)]"), "\(service) runs another command")
            #expect(deployment.contains("path: /livez") && deployment.contains("path: /readyz"), "\(service) lacks a probe")
            #expect(try Self.document("Service", of: service) != nil, "no Service for \(service)")
            #expect(try Self.document("PodDisruptionBudget", of: service) != nil, "no PodDisruptionBudget for \(service)")
        }
    }

    @Test("every stream worker scales with KEDA on the lag of exactly the groups it reads, named after it; the gateway does not")
    func scalersMatchConsumerGroups() throws {
        for entry in ServiceDirectory.services {
            let scaler = try Self.document("ScaledObject", of: entry.name)
            guard !entry.consumes.isEmpty else {
                #expect(scaler == nil, "\(entry.name) reads no stream but has a ScaledObject")
                continue
            }
            let text = try #require(scaler, "\(entry.name) reads \(entry.consumes) but has no ScaledObject")
            #expect(text.contains("scaleTargetRef: {name: \(entry.name)}"))
            let streams = Self.captures(#"stream: ([a-z.-]+), consumerGroup: "#, in: text)
            let groups = Set(Self.captures(#"consumerGroup: ([a-z-]+),"#, in: text))
            #expect(streams.sorted() == entry.consumes.sorted(), "\(entry.name): scales on \(streams), reads \(entry.consumes)")
            #expect(groups == [entry.name], "\(entry.name): groups \(groups)")
            #expect(Self.captures(#"lagCount: "(\d+)""#, in: text).count == entry.consumes.count, "\(entry.name): a trigger without lagCount")
        }
    }

    @Test("the grace period of every pod outlasts the services' shutdown timeout, so SIGTERM ends in a clean exit")
    func gracePeriodAboveShutdownTimeout() throws {
        let config = try String(contentsOf: Self.base.appendingPathComponent("config.yaml"), encoding: .utf8)
        let timeout = try #require(Self.captures(#"SHUTDOWN_TIMEOUT_S: "(\d+)""#, in: config).first.flatMap { Int($0) })
        for service in ServiceDirectory.services.map(\.name) {
            let deployment = try #require(try Self.document("Deployment", of: service))
            let grace = try #require(Self.captures(#"terminationGracePeriodSeconds: (\d+)"#, in: deployment).first.flatMap { Int($0) })
            #expect(grace > timeout, "\(service): grace \(grace) s, shutdown timeout \(timeout) s")
        }
    }

    @Test("each service connects to PostgreSQL as the role service-roles.sh makes for it, with its password from the Secret")
    func databaseRoles() throws {
        let script = try String(contentsOf: Fixtures.repository.appendingPathComponent("deploy/docker/postgres/service-roles.sh"), encoding: .utf8)
        let roles = Set(Self.captures(#"([a-z_]+):[a-z_]+"#, in: script.components(separatedBy: "\n").first { $0.hasPrefix("roles=(") } ?? ""))
        #expect(roles.count == 7, "\(roles)")
        var connecting: Set<String> = []
        for service in ServiceDirectory.services.map(\.name) {
            let deployment = try #require(try Self.document("Deployment", of: service))
            let role = Self.captures(#"postgresql://([a-z_]+):\$\(PG_PASSWORD\)@"#, in: deployment)
            guard let role = role.first else { continue }
            connecting.insert(role)
            #expect(roles.contains(role), "\(service) connects as \(role), which service-roles.sh does not create")
            #expect(role == service.replacingOccurrences(of: "-", with: "_"), "\(service) connects as \(role)")
            #expect(deployment.contains("key: pg-password-\(service)}"), "\(service)'s password comes from elsewhere")
        }
        #expect(connecting == roles, "roles no Deployment connects as: \(roles.subtracting(connecting).sorted())")
    }

    @Test("the pods run as the image's user, which the Dockerfile creates with that fixed uid")
    func runsAsTheImageUser() throws {
        let dockerfile = try String(contentsOf: Fixtures.repository.appendingPathComponent("deploy/docker/Dockerfile"), encoding: .utf8)
        let uid = try #require(Self.captures(#"useradd [^\n]*--uid (\d+)"#, in: dockerfile).first)
        for service in ServiceDirectory.services.map(\.name) {
            let deployment = try #require(try Self.document("Deployment", of: service))
            #expect(deployment.contains("runAsUser: \(uid),"), "\(service) runs as another user than the image's \(uid)")
        }
    }
}
