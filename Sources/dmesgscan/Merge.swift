import ArgumentParser
import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine JSON summaries (e.g. of --shard runs) into one; order does not matter.",
        discussion: "Refused, with exit status 2: summaries made with other rules, --shard parts of another N or another input set, a shard missing or given twice, an input in two summaries (in any spelling of its path).")

    @Argument(help: "Summaries written by `dmesgscan --format json`.")
    var summaries: [String]

    @Option(name: .shortAndLong, help: "Write the merged summary to FILE (as scan -o does: atomically for a regular file, in place for a FIFO or device).")
    var output: String?

    @Flag(name: .customLong("allow-partial"), help: "Merge --shard parts with shards missing; the totals say partial and list the missing shards.")
    var allowPartial = false

    @Flag(help: "Pretty-print JSON.")
    var pretty = false

    func run() throws {
        Console.ignoreSigpipe()
        let merger = SummaryMerger(allowPartial: allowPartial, pretty: pretty)
        do {
            for path in summaries {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw Failure("\(path): cannot read: \(String(cString: strerror(errno)))") }
                defer { close(fd) }
                var stream = JSONValueStream { FileDescriptorRead.some(fd, appendingTo: &$0) }
                try merger.add(&stream, name: path)
            }
            let sink = try OutputSink(path: output)
            try merger.write { sink.write($0) }
            sink.write("\n")
            try sink.commit()
        } catch {
            Console.err("dmesgscan: merge: \(error)")
            throw ExitCode(2)
        }
    }
}
