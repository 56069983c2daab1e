import ArgumentParser
import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan kernel logs and check boot-order invariants.",
        discussion: "With no input and a terminal on stdin, reads this machine's log from /dev/kmsg.")

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var ruleOptions: RuleOptions
    @OptionGroup var knownOptions: KnownOptions

    func run() throws {
        Console.ignoreSigpipe()
        let loader: RuleLoader
        let rules: RuleSet
        do {
            loader = try ruleOptions.loadFiles()
            rules = try RuleSet(loader)
        } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
        let known = try knownOptions.loadOrExit()
        let format = outputOptions.format
        if format == .kcidb && outputOptions.kcidbTestId == nil {
            Console.err("dmesgscan: warning: --format kcidb without --kcidb-test-id: the incidents link to no test, and KCIDB cannot place them")
        }
        var paths = inputOptions.inputs
        var listed: [String] = []
        if let list = inputOptions.filesFrom {
            do { listed = try InputExpander.readList(list, nulSeparated: inputOptions.nulSeparated) } catch {
                Console.err("dmesgscan: \(list): \(error)")
                throw ExitCode(2)
            }
        }
        let allPaths = paths + listed
        // `/dev/kmsg` named as a file is the kernel log: read to the end of its buffer (a plain
        // read of the device would wait for new records forever).
        let namesKmsg = allPaths == [KmsgSource.path]
        if namesKmsg { paths = [] }
        let readKernelLog = namesKmsg || inputOptions.follow || (allPaths.isEmpty && Console.stdinIsTerminal && !inputOptions.journal)
        if allPaths.isEmpty && !readKernelLog && !inputOptions.journal { paths = ["-"] }
        // The output's temporary file is made after the inputs are listed, so a walk of the
        // directory it goes to never takes it for an input.
        var expander = InputExpander(includeHidden: inputOptions.hidden)
        // A shard takes its paths as they are listed or found, and never looks at the others'
        // (by hash); by size, every shard sizes every input to balance the bytes.
        let bySize = inputOptions.shardBy == .size
        if let (index, count) = inputOptions.shardSpec, !bySize {
            expander.keep = { ShardPicker.picks($0, index: index, of: count) }
        }
        var items = inputOptions.journal || namesKmsg ? (inputOptions.journal ? [.input(.systemJournal)] : [])
            : expander.expandListing(paths, listedPaths: listed)
        // A shard sees part of the batch: picking nothing from it is an empty share, not a
        // run that checked nothing.
        var isShareOfABatch = false
        var shard: ShardInfo?
        if let (index, count) = inputOptions.shardSpec {
            isShareOfABatch = !expander.listed.isEmpty
            shard = ShardInfo(index: index + 1, count: count, listed: expander.listed)
            if bySize { items = ShardPicker.bySize(items, index: index, of: count) }
        }

        let policy = FailPolicy(level: Level(name: outputOptions.failLevel)!)
        let singleStream: InputLocation? = {
            if readKernelLog { return nil }
            if items.count == 1, case .input(let location) = items[0] { return location }
            return nil
        }()
        let streaming = readKernelLog || singleStream != nil
        // SIGINT, SIGTERM or SIGHUP end one stream as its end would: what is open is flushed
        // and the summary written (then exit 128 + the signal). Taken before the temporary
        // file exists, so that a signal at any moment finds it watched.
        if streaming { StopRequest.watch() }
        let sink: OutputSink
        do { sink = try OutputSink(path: outputOptions.output) } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
        var writer = outputOptions.writer(rules: rules, batch: !streaming, failLevel: policy.level, shard: shard) { sink.write($0) }
        // One stream on more than one core: the output is made and written on a thread of its
        // own, not on the thread that groups and analyses. (Many inputs: the workers take the
        // cores, and this thread only waits for their results.)
        // A regular file is no live stream: its boots are handed over eight at a time.
        let isRegularFile: Bool = {
            if case .file(let path)? = singleStream { return Console.isRegularFile(path) }
            return false
        }()
        if streaming && (inputOptions.jobs ?? AvailableCPUs.count) > 1 { writer = BackgroundWriter(writer, wakeEvery: isRegularFile ? 8 : 1) }
        var totals = ArchiveTotals()
        var failed = false
        var errors = false
        var inputsSeen = 0
        var kernelLogsSeen = 0

        var picker = inputOptions.boot.map { BootPicker($0) }
        var window = inputOptions.timeWindow
        /// `<stdin>` (and `<stdin>:member` of an archive on stdin) under its `--stdin-name`.
        let stdinName = inputOptions.stdinName
        func named(_ path: String) -> String {
            guard let stdinName, path.hasPrefix(InputLocation.standardInput.displayName) else { return path }
            return stdinName + path.dropFirst(InputLocation.standardInput.displayName.count)
        }

        func boot(_ path: String, _ boot: BootResult, liveFindingsSent: Bool) {
            let path = named(path)
            for boot in picker?.take(boot) ?? [boot] { inWindow(path, boot, liveFindingsSent: liveFindingsSent) }
        }

        func inWindow(_ path: String, _ boot: BootResult, liveFindingsSent: Bool) {
            guard window != nil else { return write(path, boot, liveFindingsSent: liveFindingsSent) }
            if let kept = window!.take(boot) { write(path, kept, liveFindingsSent: liveFindingsSent) }
        }

        func write(_ path: String, _ boot: BootResult, liveFindingsSent: Bool) {
            var boot = boot
            known?.mark(&boot)
            writer.boot(boot, input: path, liveFindingsSent: liveFindingsSent)
            totals.add(boot, input: path)
            failed = failed || policy.fails(boot)
        }

        func finishInput(_ result: InputResult) {
            var result = result
            result.path = named(result.path)
            for boot in picker?.finishInput() ?? [] { inWindow(result.path, boot, liveFindingsSent: false) }
            if let unplaced = window?.finishInput(), unplaced > 0 {
                Console.err("dmesgscan: \(result.path): \(unplaced) boot\(unplaced == 1 ? "" : "s") without wall-clock times (monotonic times or year-less syslog dates) left out by --since/--until")
            }
            if let message = TextReport.inputError(result) {
                Console.err(message)
                errors = true
            }
            if let notice = TextReport.notKernelLog(result) { Console.err(notice) }
            for failure in result.ruleFailures.prefix(5) {
                Console.err("dmesgscan: \(result.path):\(failure.line): rule \(failure.rule): \(PCRE2Regex.message(for: failure.code))")
                errors = true
            }
            writer.finishInput(result)
            totals.finishInput(result)
            inputsSeen += 1
            if result.kernelRecords > 0 { kernelLogsSeen += 1 }
        }

        if streaming {
            // One stream: each finding and boot is written as soon as it is known, and
            // dropped once written.
            let scanner = InputScanner(rules: rules)
            scanner.keepBoots = false
            let cores = inputOptions.jobs ?? AvailableCPUs.count
            if cores > 1 && isRegularFile {
                // One large file: read, decode and match on a second thread, a batch ahead.
                do { scanner.aheadRules = try RuleSet(loader) } catch {
                    Console.err("dmesgscan: \(error)")
                    throw ExitCode(2)
                }
            } else {
                scanner.readAhead = cores > 1
            }
            // With --boot or a time window, nothing is written before it is known to be the boot asked for.
            let live = format == .ndjson && inputOptions.boot == nil && window == nil
            if live {
                scanner.onFinding = { path, index, kernel, finding in
                    var finding = finding
                    finding.known = known?.mark(title: finding.title, kernel: kernel)
                    writer.liveFinding(finding, input: named(path), boot: index, kernel: kernel)
                }
                // On a pipe or the kernel log, verdicts too as soon as they are decided (a file's
                // boots end soon enough, and evaluating each boot as it grows costs time).
                if !isRegularFile {
                    scanner.onVerdict = { path, index, kernel, verdict in
                        var verdict = verdict
                        if verdict.outcome == .fail { verdict.known = known?.mark(invariant: verdict.id, message: verdict.message, kernel: kernel) }
                        writer.liveVerdict(verdict, input: named(path), boot: index, kernel: kernel)
                    }
                }
            }
            if live || format == .text { scanner.idleFlush = 2.0 }
            let onBoot: (String, BootResult) -> Void = { path, result in boot(path, result, liveFindingsSent: live) }
            let inputResults = readKernelLog
                ? [scanner.scanKernelLog(follow: inputOptions.follow, onBoot: onBoot)]
                : scanner.scanInputs(singleStream!, onBoot: onBoot)
            inputResults.forEach(finishInput)
        } else {
            let jobs = inputOptions.jobs ?? AvailableCPUs.count
            let meter = ProgressMeter(total: items.count, enabled: outputOptions.progress || Console.stderrIsTerminal)
            func deliver(_ inputResults: [InputResult]) {
                for result in inputResults {
                    for each in result.boots { boot(result.path, each, liveFindingsSent: false) }
                    finishInput(result)
                }
                meter.advance(bytes: inputResults.reduce(0) { $0 + $1.bytes })
            }
            // With --cache, inputs whose key has an entry are read from it; the rest are
            // scanned and stored. Results are delivered in input order all the same.
            var cache: ResultCache?
            if let directory = inputOptions.cache {
                do {
                    cache = try ResultCache(directory: directory, toolVersion: DmesgScanCommand.version, rulesDigest: "fnv1a64:" + rules.digest,
                                            byContent: inputOptions.cacheBy == .content)
                } catch {
                    Console.err("dmesgscan: \(error)")
                    sink.abandon()
                    throw ExitCode(2)
                }
            }
            // Only which entries exist is known up front; each is read when its turn comes,
            // so a run over a cached tree holds one input's results at a time.
            var cached = Set<Int>()
            var keys: [Int: String] = [:]
            var toScan: [(index: Int, item: InputExpander.Item)] = []
            for (index, item) in items.enumerated() {
                if let cache, case .input(let location) = item, let key = cache.key(for: location) {
                    keys[index] = key
                    if cache.has(key) {
                        cached.insert(index)
                        continue
                    }
                }
                toScan.append((index, item))
            }
            var nextIndex = 0
            func deliverCached(before limit: Int) throws(RuleError) {
                while nextIndex < limit {
                    if cached.contains(nextIndex), let cache, let key = keys[nextIndex] {
                        if let results = cache.load(key) {
                            deliver(results)
                        } else {
                            // Removed or damaged since it was seen: scanned now, and stored again.
                            try BatchScanner(loader: loader, jobs: 1).run([items[nextIndex]]) { _, results in
                                cache.store(results, key: key)
                                deliver(results)
                            }
                        }
                    }
                    nextIndex += 1
                }
            }
            do {
                var rescanFailure: RuleError?
                try BatchScanner(loader: loader, jobs: jobs).run(toScan.map(\.item)) { position, inputResults in
                    let index = toScan[position].index
                    do throws(RuleError) { try deliverCached(before: index) } catch { rescanFailure = error }
                    if let cache, let key = keys[index] { cache.store(inputResults, key: key) }
                    deliver(inputResults)
                    nextIndex = index + 1
                }
                if let rescanFailure { throw rescanFailure }
                try deliverCached(before: items.count)
            } catch {
                Console.err("dmesgscan: \(error)")
                sink.abandon()
                throw ExitCode(2)
            }
            meter.finish()
        }
        if let known, let file = knownOptions.known {
            let report = KnownIssueReport(known, file: file)
            totals.knownIssues = report
            for notice in report.notices { Console.err("dmesgscan: \(notice)") }
        }
        writer.finish(totals)
        do { try sink.commit() } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
        if StopRequest.isRequested { throw ExitCode(128 + StopRequest.signal) }
        var status: Int32 = errors ? 2 : failed ? 1 : 0
        // Asked to scan nothing, or nothing like a kernel log: a run that checked nothing
        // must not look like a clean one.
        if !errors && !isShareOfABatch && (inputsSeen == 0 || kernelLogsSeen == 0) {
            let what = inputsSeen == 0
                ? "no inputs to scan\(allPaths.isEmpty ? "" : " in " + allPaths.joined(separator: ", "))"
                : inputOptions.journal ? "the journal has no kernel entries" : "nothing scanned looks like a kernel log"
            Console.err("dmesgscan: \(what)\(outputOptions.exitZero ? "" : "; exit status 2")")
            status = 2
        }
        // An engine's task succeeds whatever the logs held; what they held is in the output.
        if outputOptions.exitZero { return }
        if status != 0 { throw ExitCode(status) }
    }
}
