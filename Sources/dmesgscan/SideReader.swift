import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

/// Reads one side of `diff`: JSON summaries as they are, logs and directories scanned as
/// `scan` scans them, every boot folded into a `SideTally`. Errors are printed and counted.
struct SideReader {
    let loader: RuleLoader
    let jobs: Int
    let known: KnownIssueList?
    private(set) var errors = false

    init(loader: RuleLoader, jobs: Int, known: KnownIssueList?) {
        self.loader = loader
        self.jobs = jobs
        self.known = known
    }

    mutating func read(_ paths: [String]) -> SideTally {
        var side = SideTally()
        side.sources = paths
        for path in paths {
            if let summary = SideReader.summary(at: path) {
                add(summary: summary, name: path, to: &side)
            } else {
                scan(path, into: &side)
            }
        }
        return side
    }

    /// A `dmesgscan/1` summary, told by its first bytes (the writer puts `schema` first), so
    /// that a log is never read whole to find out.
    static func summary(at path: String) -> JSONValue? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var head = [UInt8](repeating: 0, count: 64)
        let n = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 64) }
        guard n > 0 else { return nil }
        let compact = head[0..<n].filter { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        guard compact.starts(with: Array("{\"schema\":\"dmesgscan/".utf8)) else { return nil }
        var bytes = Array(head[0..<n])
        guard FileDescriptorRead.toEnd(fd, appendingTo: &bytes) else { return .null }
        return JSONParser.parse(bytes) ?? .null
    }

    private mutating func add(summary: JSONValue, name: String, to side: inout SideTally) {
        guard summary["schema"] == .string(SummaryJSON.schema), case .array(let inputs)? = summary["inputs"] else {
            Console.err("dmesgscan: diff: \(name): not a \(SummaryJSON.schema) summary")
            errors = true
            return
        }
        if case .string(let digest)? = summary["rules"]?["digest"] { side.rulesDigests.insert(digest) }
        let paths = inputs.compactMap { input -> String? in
            if case .string(let p)? = input["path"] { return p }
            return nil
        }
        let root = paths.count > 1 ? SideTally.commonFolder(paths) : nil
        for input in inputs {
            guard case .string(let path)? = input["path"] else { continue }
            let key = SideTally.key(path, under: root)
            side.addInput(key: key, error: input["status"] == .string("error"))
            guard case .array(let boots)? = input["boots"] else { continue }
            for boot in boots {
                var digest = BootDigest(summaryBoot: boot)
                if let known { digest.mark(with: known) }
                side.add(digest, input: path, key: key)
            }
        }
    }

    private mutating func scan(_ path: String, into side: inout SideTally) {
        let items = InputExpander().expand([path])
        if items.isEmpty {
            Console.err("dmesgscan: diff: \(path): no inputs to scan")
            errors = true
            return
        }
        side.rulesDigests.insert("fnv1a64:" + loader.digest.hex)
        var info = stat()
        let isDirectory = stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        do {
            try BatchScanner(loader: loader, jobs: jobs).run(items) { _, results in
                for result in results {
                    let key = SideTally.key(result.path, under: isDirectory ? path : nil)
                    if let message = TextReport.inputError(result) {
                        Console.err(message)
                        errors = true
                    }
                    side.addInput(key: key, error: result.status == .error)
                    for boot in result.boots {
                        var boot = boot
                        known?.mark(&boot)
                        side.add(BootDigest(boot), input: result.path, key: key)
                    }
                }
            }
        } catch {
            Console.err("dmesgscan: \(error)")
            errors = true
        }
    }
}
