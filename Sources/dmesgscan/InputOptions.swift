import ArgumentParser
import DmesgScan

struct InputOptions: ParsableArguments {
    @Argument(help: "Logs: files (plain, gzip, xz, bzip2, zstd, lz4), archives (tar, zip, cpio) or directories. `-` or nothing (with a pipe) reads stdin.")
    var inputs: [String] = []

    @Option(name: .customLong("files-from"), help: "Read more input paths from FILE (`-` for stdin), one per line.")
    var filesFrom: String?

    @Flag(name: [.customShort("0"), .customLong("null")], help: "Paths in --files-from are NUL-separated.")
    var nulSeparated = false

    @Flag(help: "Walk into hidden files and directories too.")
    var hidden = false

    @Option(name: [.customShort("j"), .long], help: "Worker threads (default: the number of cores).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1") }
        if nulSeparated && filesFrom == nil { throw ValidationError("'-0' only applies to '--files-from'") }
    }
}
