import ArgumentParser
import DmesgScan

struct InputOptions: ParsableArguments {
    @Argument(help: "Logs: files (plain, gzip, xz, bzip2, zstd, lz4), archives (tar, zip, cpio, 7z) or directories. `-` or nothing (with a pipe) reads stdin.")
    var inputs: [String] = []

    @Option(name: .customLong("files-from"), help: "Read more input paths from FILE (`-` for stdin), one per line.")
    var filesFrom: String?

    @Flag(name: [.customShort("0"), .customLong("null")], help: "Paths in --files-from are NUL-separated.")
    var nulSeparated = false

    @Flag(help: "Walk into hidden files and directories too.")
    var hidden = false

    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Worker threads (default: the number of cores); `-j1` works as make's does.")
    var jobs: Int?

    @Option(help: "Scan only shard I of N (I from 1): inputs picked by a stable hash of their path. Merge the summaries with `dmesgscan merge`.")
    var shard: String?

    @Option(name: [.customShort("b"), .long], parsing: .unconditional, help: "Only boot N of each input (1 the first), as journalctl -b; negative counts from the end (-1 the last).")
    var boot: Int?

    @Flag(help: "Read this machine's kernel log from /dev/kmsg and keep reading (like `dmesg -w`).")
    var follow = false

    @Flag(help: "Read the kernel entries of this machine's systemd journal (like `journalctl -k`).")
    var journal = false

    /// (index from 0, count) of `--shard I/N`.
    var shardSpec: (Int, Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else { return nil }
        return (i - 1, n)
    }

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1") }
        if boot == 0 { throw ValidationError("'--boot' counts from 1 (the first boot) or from -1 (the last)") }
        if nulSeparated && filesFrom == nil { throw ValidationError("'-0' only applies to '--files-from'") }
        if shard != nil && shardSpec == nil { throw ValidationError("'--shard' takes I/N with 1 <= I <= N, e.g. --shard 2/8") }
        if follow && (!inputs.isEmpty || filesFrom != nil) { throw ValidationError("'--follow' reads /dev/kmsg and takes no inputs") }
        if journal && (follow || !inputs.isEmpty || filesFrom != nil) { throw ValidationError("'--journal' reads the system journal and takes no inputs") }
    }
}
