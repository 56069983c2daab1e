import ArgumentParser
import DmesgScan

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Scan kernel logs (files, gzip files, or stdin) and check boot-order invariants.")

    @Argument(help: "Log files, plain or gzip. `-` or nothing (with a pipe) reads stdin.")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .text

    @Option(help: "Exit 1 when a finding or an enforced invariant failure is at or above this level (debug, info, notice, warning, error, critical).")
    var failLevel: String = "warning"

    @Flag(help: "Also show invariants that do not apply.")
    var verbose = false

    @Flag(help: "Pretty-print JSON.")
    var pretty = false

    @OptionGroup var ruleOptions: RuleOptions

    func validate() throws {
        guard Level(rawValue: failLevel) != nil else {
            throw ValidationError("'--fail-level' must be one of: \(Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        Console.ignoreSigpipe()
        let rules: RuleSet
        do { rules = try ruleOptions.load() } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
        var locations: [InputLocation] = inputs.map { $0 == "-" ? .standardInput : .file($0) }
        if locations.isEmpty {
            if Console.stdinIsTerminal {
                Console.err("dmesgscan: no input. Pipe a log in (`dmesg | dmesgscan`, `journalctl -k | dmesgscan -`) or name files: dmesgscan scan FILE...")
                throw ExitCode(2)
            }
            locations = [.standardInput]
        }
        let scanner = InputScanner(rules: rules)
        let text = TextReport(color: Console.stdoutIsTerminal, verbose: verbose)
        let policy = FailPolicy(level: Level(rawValue: failLevel)!)
        var results: [InputResult] = []
        var failed = false
        var errors = false
        for location in locations {
            let result = scanner.scan(location) { boot in
                if format == .text { Console.out(text.boot(boot, input: location.displayName)) }
            }
            if let message = text.inputError(result) {
                Console.err(message)
                errors = true
            }
            for failure in result.ruleFailures.prefix(5) {
                Console.err("dmesgscan: \(location.displayName):\(failure.line): rule \(failure.rule): \(PCRE2Regex.message(for: failure.code))")
                errors = true
            }
            if format == .text && result.boots.isEmpty && result.error == nil {
                Console.out("\(location.displayName): empty input (\(result.lines) lines)\n")
            }
            failed = failed || result.boots.contains(where: policy.fails)
            results.append(result)
        }
        if format == .json {
            Console.out(SummaryJSON.document(inputs: results, rules: rules, toolVersion: DmesgScanCommand.version).serialized(pretty: pretty) + "\n")
        }
        if errors { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}
