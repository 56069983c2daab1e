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

    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Worker threads (default: the CPUs this process may use, by its affinity and cgroup CPU quota, as in a container with a CPU limit); `-j1` works as make's does.")
    var jobs: Int?

    @Option(help: "Scan only shard I of N (I from 1): inputs picked by a stable hash of their path. Merge the summaries with `dmesgscan merge`.")
    var shard: String?

    enum ShardBy: String, ExpressibleByArgument, CaseIterable { case path, size }
    enum CacheBy: String, ExpressibleByArgument, CaseIterable { case path, content }

    @Option(help: "Keep each input's results in DIR and reuse them while the input, the rules and the tool are unchanged (batch runs; safe for parallel runs sharing DIR).")
    var cache: String?

    @Option(name: .customLong("cache-by"), help: "What tells an input unchanged: path (its path, size and modification time) or content (a hash of its bytes, for copies that get new times).")
    var cacheBy: CacheBy = .path

    @Option(name: .customLong("shard-by"), help: "How --shard splits: path (a hash of each path; a shard never looks at the others' files) or size (the bytes balanced across shards, every shard sizing every input).")
    var shardBy: ShardBy = .path

    @Option(name: [.customShort("b"), .long], parsing: .unconditional, help: "Only boot N of each input (1 the first), as journalctl -b; negative counts from the end (-1 the last).")
    var boot: Int?

    @Option(parsing: .unconditional, help: "Only boots and findings at or after this wall-clock time: `2026-11-30`, `2026-11-30 14:00`, ISO 8601 with a zone, `@EPOCH`, `today`, `yesterday`, `-2h`, `3d ago` (as journalctl). Logs need wall-clock times with a year (journal, `dmesg -T`, ISO syslog); boots without them are left out and named.")
    var since: String?

    @Option(parsing: .unconditional, help: "Only boots and findings at or before this wall-clock time (the forms of --since).")
    var until: String?

    @Option(name: .customLong("stdin-name"), help: "The name of the input read from stdin in every output (default <stdin>), e.g. the object key of `aws s3 cp s3://bucket/key - | dmesgscan --stdin-name s3://bucket/key -`.")
    var stdinName: String?

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

    /// The `--since` / `--until` window, nil when neither is given.
    var timeWindow: TimeWindowPicker? {
        guard since != nil || until != nil else { return nil }
        return TimeWindowPicker(since: since.flatMap { TimeArgument.seconds($0) }, until: until.flatMap { TimeArgument.seconds($0) })
    }

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, TimeArgument.seconds(value) == nil {
                throw ValidationError("'\(name)' takes a time such as 2026-11-30, '2026-11-30 14:00', 2026-11-30T14:00:00Z, @1767225600, today, yesterday, -2h or '3d ago'; not '\(value)'")
            }
        }
        if let since, let until, let from = TimeArgument.seconds(since), let to = TimeArgument.seconds(until), from > to {
            throw ValidationError("'--since \(since)' is after '--until \(until)'")
        }
        if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1") }
        if boot == 0 { throw ValidationError("'--boot' counts from 1 (the first boot) or from -1 (the last)") }
        if nulSeparated && filesFrom == nil { throw ValidationError("'-0' only applies to '--files-from'") }
        if shard != nil && shardSpec == nil { throw ValidationError("'--shard' takes I/N with 1 <= I <= N, e.g. --shard 2/8") }
        if follow && (!inputs.isEmpty || filesFrom != nil) { throw ValidationError("'--follow' reads /dev/kmsg and takes no inputs") }
        if journal && (follow || !inputs.isEmpty || filesFrom != nil) { throw ValidationError("'--journal' reads the system journal and takes no inputs") }
    }
}
