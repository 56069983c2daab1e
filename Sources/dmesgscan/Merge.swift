import ArgumentParser
import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
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
        var documents: [(name: String, value: JSONValue)] = []
        do {
            for path in summaries {
                guard let data = readFile(path) else { throw Failure("\(path): cannot read") }
                documents.append((path, try SummaryMerger.parse(data, name: path)))
            }
            let merged = try SummaryMerger.merge(documents, allowPartial: allowPartial)
            let sink = try OutputSink(path: output)
            sink.write(merged.serialized(pretty: pretty) + "\n")
            try sink.commit()
        } catch {
            Console.err("dmesgscan: merge: \(error)")
            throw ExitCode(2)
        }
    }

    private func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        return FileDescriptorRead.toEnd(fd, appendingTo: &bytes) ? bytes : nil
    }
}
