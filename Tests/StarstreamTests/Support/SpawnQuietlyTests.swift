import Foundation
import Testing

@Suite("The test harness's servers: started with nothing of the test process but /dev/null")
struct SpawnQuietlyTests {
    @Test("a server started while a service's output pipe is open holds none of the test process's descriptors, so that service's output ends when it exits")
    func inheritsNothing() throws {
        let pipe = Pipe()
        let child = try spawnQuietly(["/bin/sleep", "5"])
        defer {
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(child)/fd").compactMap(Int32.init).sorted()
        #expect(descriptors == [0, 1, 2], "the child holds \(descriptors); the pipe is \(pipe.fileHandleForWriting.fileDescriptor)")
    }
}
