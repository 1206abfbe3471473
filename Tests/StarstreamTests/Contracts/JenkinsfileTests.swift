import Foundation
import Testing

/// The Jenkinsfile against the test command: Jenkins must test what `.ci/run` tests.
@Suite("Jenkins: the pipeline runs every part of the test command, publishes its JUnit XML, keeps secrets out of Groovy")
struct JenkinsfileTests {
    static func read(_ path: String) throws -> String {
        try String(contentsOf: Fixtures.repository.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("each part deploy/test.sh runs by default is a stage of the Jenkinsfile, and .ci/run runs deploy/test.sh itself")
    func everyPartIsAStage() throws {
        let script = try Self.read("deploy/test.sh")
        let jenkinsfile = try Self.read("Jenkinsfile")
        let defaults = try #require(script.firstMatch(of: #/STARSTREAM_TEST_PARTS:-([a-z -]+)\}/#)).output.1
        let parts = defaults.split(separator: " ").map(String.init)
        #expect(parts.count >= 4, "\(parts)")
        for part in parts {
            #expect(jenkinsfile.contains("STARSTREAM_TEST_PARTS=\(part) bash deploy/test.sh"), "no stage runs the part \(part)")
        }
        #expect(try Self.read(".ci/run").contains("exec bash deploy/test.sh\n"))
    }

    @Test("the Swift tests' JUnit XML goes where the junit step reads it")
    func junitPublished() throws {
        let jenkinsfile = try Self.read("Jenkinsfile")
        #expect(jenkinsfile.contains(#"STARSTREAM_XUNIT_DIR = "${env.WORKSPACE}/reports/junit""#))
        #expect(jenkinsfile.contains("junit allowEmptyResults: false, testResults: 'reports/junit/*.xml'"))
        #expect(try Self.read("deploy/test.sh").contains(#"--xunit-output "$STARSTREAM_XUNIT_DIR/"#))
    }

    @Test("registry credentials are bound with withCredentials and expanded by the shell, never in a Groovy string")
    func credentialsStayInTheShell() throws {
        let jenkinsfile = try Self.read("Jenkinsfile")
        #expect(jenkinsfile.contains("withCredentials([usernamePassword(credentialsId: 'starstream-registry'"))
        // Groovy interpolates "…${X}…" and """…""" strings; the secrets appear only in ''' blocks.
        for line in jenkinsfile.split(separator: "\n") where line.contains("REGISTRY_PASSWORD") && !line.contains("passwordVariable") {
            #expect(!line.contains("sh \"") && !line.contains("\"\"\""), "a Groovy string interpolates the password: \(line)")
        }
        #expect(!jenkinsfile.contains("sh \"\"\""), "a double-quoted sh block would let Groovy interpolate")
    }
}
