import ArgumentParser
import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan kernel logs and check boot-order invariants.",
        discussion: "With no input and a terminal on stdin, reads this machine's log from /dev/kmsg.")

    @OptionGroup var inputOptions: InputOptions
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var ruleOptions: RuleOptions

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
        let format = outputOptions.format
        let sink: OutputSink
        do { sink = try OutputSink(path: outputOptions.output) } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
        var paths = inputOptions.inputs
        if let list = inputOptions.filesFrom {
            do { paths += try InputExpander.readList(list, nulSeparated: inputOptions.nulSeparated) } catch {
                Console.err("dmesgscan: \(list): \(error)")
                sink.abandon()
                throw ExitCode(2)
            }
        }
        // `/dev/kmsg` named as a file is the kernel log: read to the end of its buffer (a plain
        // read of the device would wait for new records forever).
        let namesKmsg = paths == [KmsgSource.path]
        if namesKmsg { paths = [] }
        let readKernelLog = namesKmsg || inputOptions.follow || (paths.isEmpty && Console.stdinIsTerminal && !inputOptions.journal)
        if paths.isEmpty && !readKernelLog && !inputOptions.journal { paths = ["-"] }
        var expander = InputExpander(includeHidden: inputOptions.hidden)
        if let temporary = sink.temporaryFile { expander.excluded = [temporary] }
        var items = inputOptions.journal ? [.input(.systemJournal)] : expander.expand(paths)
        if let (index, count) = inputOptions.shardSpec {
            items = items.filter { ShardPicker.pick($0, index: index, of: count) }
        }

        let text = TextReport(color: outputOptions.output == nil && Console.stdoutIsTerminal, verbose: outputOptions.verbose)
        let policy = FailPolicy(level: Level(rawValue: outputOptions.failLevel)!)
        var results: [InputResult] = []
        var totals = ArchiveTotals()
        var failed = false
        var errors = false

        /// Output for one boot as soon as it ends: text, or NDJSON verdicts and summary.
        func emitBoot(_ path: String, _ boot: BootResult, findingsAlreadySent: Bool) {
            switch format {
            case .text:
                sink.write(text.boot(boot, input: path))
            case .ndjson:
                if !findingsAlreadySent {
                    for f in boot.findings { sink.write(ndjson(f, path, boot.index, boot.kernel)) }
                }
                for v in boot.invariants where v.outcome != .notApplicable || outputOptions.verbose {
                    sink.write(NDJSONEvent.verdict(v, boot: boot, findings: boot.findings, input: path, rulesDigest: rules.digest).serialized() + "\n")
                }
                sink.write(NDJSONEvent.bootSummary(boot, input: path).serialized() + "\n")
            default:
                break
            }
        }

        func ndjson(_ f: Finding, _ path: String, _ boot: Int, _ kernel: KernelVersion?) -> String {
            let name = rules.index(of: f.rule).map { RuleExport.name(of: rules.rules[$0]) } ?? f.rule
            return NDJSONEvent.finding(f, input: path, boot: boot, kernel: kernel, ruleName: name, rulesDigest: rules.digest).serialized() + "\n"
        }

        func account(_ result: InputResult) {
            if let message = text.inputError(result) {
                Console.err(message)
                errors = true
            }
            if let notice = text.notKernelLog(result) { Console.err(notice) }
            for failure in result.ruleFailures.prefix(5) {
                Console.err("dmesgscan: \(result.path):\(failure.line): rule \(failure.rule): \(PCRE2Regex.message(for: failure.code))")
                errors = true
            }
            if format == .text && result.boots.isEmpty && result.error == nil {
                sink.write("\(TextReport.escapeControls(result.path)): empty input (\(result.lines) lines)\n")
            }
            failed = failed || result.boots.contains(where: policy.fails)
            totals.add(result)
            results.append(result)
        }

        let singleStream: InputLocation? = {
            if readKernelLog { return nil }
            if items.count == 1, case .input(let location) = items[0] { return location }
            return nil
        }()
        if readKernelLog || singleStream != nil {
            // One stream: each finding and boot is written as soon as it is known.
            let scanner = InputScanner(rules: rules)
            scanner.readAhead = (inputOptions.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) > 1
            let live = format == .ndjson
            if live {
                scanner.onFinding = { path, boot, kernel, finding in sink.write(ndjson(finding, path, boot, kernel)) }
            }
            if live || format == .text { scanner.idleFlush = 2.0 }
            let onBoot: (String, BootResult) -> Void = { path, boot in emitBoot(path, boot, findingsAlreadySent: live) }
            let inputResults = readKernelLog
                ? [scanner.scanKernelLog(follow: inputOptions.follow, onBoot: onBoot)]
                : scanner.scanInputs(singleStream!, onBoot: onBoot)
            inputResults.forEach(account)
        } else {
            let jobs = inputOptions.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            let meter = ProgressMeter(total: items.count, enabled: outputOptions.progress || Console.stderrIsTerminal)
            do {
                try BatchScanner(loader: loader, jobs: jobs).run(items) { _, inputResults in
                    for result in inputResults {
                        for boot in result.boots { emitBoot(result.path, boot, findingsAlreadySent: false) }
                        account(result)
                    }
                    meter.advance(bytes: inputResults.reduce(0) { $0 + $1.bytes })
                }
            } catch {
                Console.err("dmesgscan: \(error)")
                sink.abandon()
                throw ExitCode(2)
            }
            meter.finish()
            if format == .text { sink.write(totals.text) }
        }

        switch format {
        case .json:
            let document = SummaryJSON.document(inputs: results, rules: rules, toolVersion: DmesgScanCommand.version, totals: totals)
            sink.write(document.serialized(pretty: outputOptions.pretty) + "\n")
        case .junit:
            sink.write(JUnitReport(failLevel: policy.level).document(results))
        case .prom:
            sink.write(PrometheusText.document(totals))
        case .kcidb:
            let report = KCIDBReport(origin: outputOptions.kcidbOrigin, testID: outputOptions.kcidbTestId, buildID: outputOptions.kcidbBuildId)
            sink.write(report.document(results, rules: rules).serialized(pretty: outputOptions.pretty) + "\n")
        case .text, .ndjson:
            break
        }
        do { try sink.commit() } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
        if errors { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}
