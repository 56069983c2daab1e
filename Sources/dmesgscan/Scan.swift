import ArgumentParser
import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan kernel logs and check boot-order invariants.")

    @OptionGroup var inputOptions: InputOptions

    @Option(name: .shortAndLong, help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .text

    @Option(help: "Exit 1 when a finding or an invariant failure is at or above this level (debug, info, notice, warning, error, critical).")
    var failLevel: String = "warning"

    @Flag(help: "Also show invariants that do not apply.")
    var verbose = false

    @Flag(help: "Pretty-print JSON.")
    var pretty = false

    @Flag(help: "Show progress on stderr even when it is not a terminal.")
    var progress = false

    @OptionGroup var ruleOptions: RuleOptions

    func validate() throws {
        guard Level(rawValue: failLevel) != nil else {
            throw ValidationError("'--fail-level' must be one of: \(Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

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
        var paths = inputOptions.inputs
        if let list = inputOptions.filesFrom {
            do { paths += try InputExpander.readList(list, nulSeparated: inputOptions.nulSeparated) } catch {
                Console.err("dmesgscan: \(list): \(error)")
                throw ExitCode(2)
            }
        }
        if paths.isEmpty {
            if Console.stdinIsTerminal {
                Console.err("dmesgscan: no input. Pipe a log in (`dmesg | dmesgscan`, `journalctl -k | dmesgscan -`) or name files: dmesgscan scan FILE...")
                throw ExitCode(2)
            }
            paths = ["-"]
        }
        let items = InputExpander(includeHidden: inputOptions.hidden).expand(paths)
        let text = TextReport(color: Console.stdoutIsTerminal, verbose: verbose)
        let policy = FailPolicy(level: Level(rawValue: failLevel)!)
        var results: [InputResult] = []
        var totals = ArchiveTotals()
        var failed = false
        var errors = false

        func report(_ result: InputResult, printBoots: Bool) {
            if let message = text.inputError(result) {
                Console.err(message)
                errors = true
            }
            for failure in result.ruleFailures.prefix(5) {
                Console.err("dmesgscan: \(result.path):\(failure.line): rule \(failure.rule): \(PCRE2Regex.message(for: failure.code))")
                errors = true
            }
            if format == .text {
                if printBoots { for boot in result.boots { Console.out(text.boot(boot, input: result.path)) } }
                if result.boots.isEmpty && result.error == nil { Console.out("\(result.path): empty input (\(result.lines) lines)\n") }
            }
            failed = failed || result.boots.contains(where: policy.fails)
            totals.add(result)
            results.append(result)
        }

        if items.count == 1, case .input(let location) = items[0] {
            // One input: stream each boot's result as soon as the boot ends; a compressed
            // file is decoded on a second thread when there is a second core.
            let scanner = InputScanner(rules: rules)
            scanner.readAhead = (inputOptions.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) > 1
            for result in scanner.scanInputs(location, onBoot: { path, boot in
                if format == .text { Console.out(text.boot(boot, input: path)) }
            }) {
                report(result, printBoots: false)
            }
        } else {
            let jobs = inputOptions.jobs ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            let meter = ProgressMeter(total: items.count, enabled: progress || Console.stderrIsTerminal)
            do {
                try BatchScanner(loader: loader, jobs: jobs).run(items) { _, inputResults in
                    for result in inputResults { report(result, printBoots: true) }
                    meter.advance(bytes: inputResults.reduce(0) { $0 + $1.bytes })
                }
            } catch {
                Console.err("dmesgscan: \(error)")
                throw ExitCode(2)
            }
            meter.finish()
            if format == .text { Console.out(totals.text) }
        }
        if format == .json {
            let document = SummaryJSON.document(inputs: results, rules: rules, toolVersion: DmesgScanCommand.version, totals: totals)
            Console.out(document.serialized(pretty: pretty) + "\n")
        }
        if errors { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}
