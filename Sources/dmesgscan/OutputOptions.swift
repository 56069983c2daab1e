import ArgumentParser
import DmesgScan

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, ndjson, junit, prom, kcidb
}

struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: OutputFormat = .text

    @Option(name: .shortAndLong, help: "Write the output to FILE: a regular file is replaced atomically (keeping its mode), a symlink's target likewise, a FIFO or device is written in place.")
    var output: String?

    @Option(help: "Exit 1 when a finding or an invariant failure is at or above this level (debug, info, notice, warning, error, critical).")
    var failLevel: String = "warning"

    @Flag(help: "Also show invariants that do not apply (text).")
    var verbose = false

    @Flag(help: "Pretty-print JSON.")
    var pretty = false

    @Flag(help: "Show progress on stderr even when it is not a terminal.")
    var progress = false

    @Option(help: "KCIDB origin (the CI system's name, [a-z0-9_]+).")
    var kcidbOrigin = "dmesgscan"

    @Option(help: "KCIDB test id the incidents belong to (origin:id).")
    var kcidbTestId: String?

    @Option(help: "KCIDB build id the incidents belong to (origin:id).")
    var kcidbBuildId: String?

    /// The writer of the chosen format; `batch` runs end with a summary table in text.
    func writer(rules: RuleSet, batch: Bool, failLevel: Level, emit: @escaping (String) -> Void) -> any ResultWriter {
        switch format {
        case .text:
            let report = TextReport(color: output == nil && Console.stdoutIsTerminal, verbose: verbose)
            return TextWriter(report: report, summary: batch, emit: emit)
        case .json:
            return JSONSummaryWriter(rules: rules, toolVersion: DmesgScanCommand.version, pretty: pretty, emit: emit)
        case .ndjson:
            return NDJSONWriter(rules: rules, verbose: verbose, emit: emit)
        case .junit:
            return JUnitWriter(report: JUnitReport(failLevel: failLevel), emit: emit)
        case .prom:
            return PrometheusWriter(emit: emit)
        case .kcidb:
            let report = KCIDBReport(origin: kcidbOrigin, testID: kcidbTestId, buildID: kcidbBuildId)
            return KCIDBWriter(report: report, rules: rules, pretty: pretty, emit: emit)
        }
    }

    func validate() throws {
        guard Level(rawValue: failLevel) != nil else {
            throw ValidationError("'--fail-level' must be one of: \(Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard KCIDBReport.isValidOrigin(kcidbOrigin) else { throw ValidationError("'--kcidb-origin' must match [a-z0-9_]+") }
    }
}
