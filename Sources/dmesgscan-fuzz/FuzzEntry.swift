import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

// Built normally, this replays files through a fuzz target (regression runs):
//     FUZZ_TARGET=records dmesgscan-fuzz crash-1234 …
// Built by scripts/fuzz (-DFUZZING, coverage instrumentation, libFuzzer without its main),
// it hands control to libFuzzer's driver with the same arguments.
#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@main
struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            let target = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? "records"
            FuzzTargets.run(target, size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : [])
            return 0
        })
    }
}
#else
@main
struct Replay {
    static func main() {
        let target = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? "records"
        for path in CommandLine.arguments.dropFirst() {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { continue }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while case let n = chunk.withUnsafeMutableBytes({ read(fd, $0.baseAddress, 65536) }), n > 0 { bytes += chunk[0..<n] }
            close(fd)
            FuzzTargets.run(target, bytes)
            print("\(target): \(path): ok")
        }
    }
}
#endif
