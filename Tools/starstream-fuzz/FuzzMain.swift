import Foundation

/// `FUZZ_TARGET=TARGET starstream-fuzz [libFuzzer arguments]` (built for fuzzing) or
/// `starstream-fuzz TARGET FILE…` (built normally).
///
/// Built by `deploy/fuzz.sh` with `--sanitize fuzzer --sanitize address -Xswiftc -DFUZZING`,
/// libFuzzer's own `main` runs and the callbacks below hand each input to the target that
/// `FUZZ_TARGET` names. Built normally (as every build does), it replays files through TARGET
/// and says what each did — how a crash that fuzzing found is reproduced without sanitizers.
enum FuzzCommand {
    static func target(named name: String?) -> @Sendable ([UInt8]) -> Int {
        guard let name, let target = FuzzTargets.all[name] else {
            FileHandle.standardError.write(Data((
                "usage: starstream-fuzz TARGET FILE… (or FUZZ_TARGET=TARGET with libFuzzer arguments when built for fuzzing); targets: \(FuzzTargets.all.keys.sorted().joined(separator: ", "))\n").utf8))
            exit(2)
        }
        return target
    }
}

#if FUZZING
/// The target of this process, named once by `LLVMFuzzerInitialize` before any input runs.
/// libFuzzer's callbacks are C functions and cannot capture it; nothing writes it afterwards.
nonisolated(unsafe) var fuzzTarget: (@Sendable ([UInt8]) -> Int)?

/// The sum of the targets' digests: public, so the optimiser must compute every one.
nonisolated(unsafe) public var fuzzDigest = 0

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    // From the environment, not the command line: libFuzzer starts copies of itself with its
    // own arguments (-fork, -merge, -minimize_crash), and they inherit the environment.
    fuzzTarget = FuzzCommand.target(named: ProcessInfo.processInfo.environment["FUZZ_TARGET"])
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzDigest &+= fuzzTarget?(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []) ?? 0
    return 0
}
#else
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments
        let target = FuzzCommand.target(named: arguments.count >= 2 ? arguments[1] : nil)
        for path in arguments.dropFirst(2) {
            guard let bytes = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("\(path): cannot be read\n".utf8))
                exit(1)
            }
            print("\(path): \(bytes.count) bytes read without a crash (digest \(target(Array(bytes))))")
        }
    }
}
#endif
