import ArgumentParser
import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, ndjson, junit, prom, kcidb, sarif, github, tap, html
}

enum JUnitFamilyChoice: String, ExpressibleByArgument, CaseIterable {
    case xunit2, legacy
    var family: JUnitReport.Family { self == .legacy ? .legacy : .xunit2 }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output format (the README describes each).")
    var format: OutputFormat = .text

    @Option(name: .shortAndLong, help: "Write the output to FILE: a regular file is replaced atomically (keeping its mode), a symlink's target likewise, a FIFO or device is written in place.")
    var output: String?

    @Option(name: [.customLong("fail-level"), .customShort("p"), .customLong("priority")],
            help: "Exit 1 when a finding or an invariant failure is at or above this level: debug, info, notice, warning, error, critical (syslog's err, crit, warn, emerg, alert and 0-7 are accepted too).")
    var failLevel: String = "warning"

    @Option(name: .customLong("label"), help: "Add KEY=VALUE to every Prometheus series and NDJSON line (labels.KEY), e.g. --label host=board7, so that two producers' .prom files in one textfile directory never collide; repeatable.")
    var labels: [String] = []

    /// `--label`s as pairs, in the order given.
    var labelPairs: [(String, String)] {
        labels.compactMap { label in
            guard let equals = label.firstIndex(of: "=") else { return nil }
            return (String(label[..<equals]), String(label[label.index(after: equals)...]))
        }
    }

    /// The scan's time for outputs that carry one: SOURCE_DATE_EPOCH when set (reproducible
    /// output, as reproducible builds use it), else now.
    static var scanTime: (seconds: Int, iso: String) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var micros = Int(now.tv_sec) * 1_000_000 + Int(now.tv_nsec) / 1000
        if let epoch = getenv("SOURCE_DATE_EPOCH").flatMap({ Int(String(cString: $0)) }) { micros = epoch * 1_000_000 }
        return (micros / 1_000_000, WallClock.iso8601(unixMicros: micros))
    }

    @Flag(name: .customLong("exit-zero"), help: "Exit 0 whatever was found and whatever inputs failed (for batch engines that retry failed tasks); only a bad command line, unusable rules or an unwritable output exit non-zero. Findings and input errors are still written.")
    var exitZero = false

    @Option(help: "Colour the text output: auto (on a terminal, unless NO_COLOR is set or TERM is dumb), always, never.")
    var color: ColorChoice = .auto

    /// no-color.org: a non-empty NO_COLOR turns colour off unless asked for explicitly.
    var useColor: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
            if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
            return output == nil && Console.stdoutIsTerminal
        }
    }

    @Flag(name: .shortAndLong, help: "Print nothing on stdout; the exit status alone tells (errors still go to stderr).")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print PATH:N per input, N its findings, as grep -c does.")
    var count = false

    @Flag(help: "Also show invariants that do not apply (text).")
    var verbose = false

    @Flag(help: "Pretty-print JSON.")
    var pretty = false

    @Flag(help: "Show progress on stderr even when it is not a terminal.")
    var progress = false

    @Option(help: "JUnit dialect, as pytest's junit_family: xunit2 (strict: valid for Jenkins' xunit schema) or legacy (adds testcase@file and testsuites@skipped, which GitLab shows).")
    var junitFamily: JUnitFamilyChoice = .xunit2

    @Option(help: "KCIDB origin (the CI system's name, [a-z0-9_]+).")
    var kcidbOrigin = "dmesgscan"

    @Option(help: "KCIDB test id the incidents belong to (origin:id).")
    var kcidbTestId: String?

    @Option(help: "KCIDB build id the incidents belong to (origin:id).")
    var kcidbBuildId: String?

    /// The writer of the chosen format; `batch` runs end with a summary table in text.
    func writer(rules: RuleSet, batch: Bool, failLevel: Level, shard: ShardInfo? = nil, emit: @escaping (String) -> Void) -> any ResultWriter {
        if quiet { return TextWriter(report: TextReport(color: false, verbose: false), summary: false) { _ in } }
        if count { return CountWriter(emit: emit) }
        switch format {
        case .text:
            let report = TextReport(color: useColor, verbose: verbose)
            return TextWriter(report: report, summary: batch, emit: emit)
        case .json:
            return JSONSummaryWriter(rules: rules, toolVersion: DmesgScanCommand.version, pretty: pretty, shard: shard, emit: emit)
        case .ndjson:
            return NDJSONWriter(rules: rules, verbose: verbose, scanTime: OutputOptions.scanTime.iso, labels: labelPairs, emit: emit)
        case .junit:
            return JUnitWriter(report: JUnitReport(failLevel: failLevel, family: junitFamily.family), emit: emit)
        case .prom:
            let text = PrometheusText(version: DmesgScanCommand.version, rulesDigest: "fnv1a64:" + rules.digest,
                                      scanTimeSeconds: OutputOptions.scanTime.seconds, labels: labelPairs)
            return PrometheusWriter(text: text, rules: rules, emit: emit)
        case .kcidb:
            let report = KCIDBReport(origin: kcidbOrigin, testID: kcidbTestId, buildID: kcidbBuildId)
            return KCIDBWriter(report: report, rules: rules, pretty: pretty, emit: emit)
        case .sarif:
            return SARIFWriter(rules: rules, toolVersion: DmesgScanCommand.version, emit: emit)
        case .github:
            return GitHubWriter(emit: emit)
        case .tap:
            return TAPWriter(failLevel: failLevel, emit: emit)
        case .html:
            return HTMLWriter(toolVersion: DmesgScanCommand.version, rulesDigest: "fnv1a64:" + rules.digest, emit: emit)
        }
    }

    func validate() throws {
        guard Level(name: failLevel) != nil else {
            throw ValidationError("'--fail-level' must be one of: \(Level.allCases.map(\.rawValue).joined(separator: ", ")) (or err, crit, warn, emerg, alert, 0-7)")
        }
        for label in labels {
            guard let equals = label.firstIndex(of: "="), OutputOptions.isLabelName(label[..<equals]) else {
                throw ValidationError("'--label' takes KEY=VALUE with KEY matching [a-zA-Z_][a-zA-Z0-9_]* (a Prometheus label name), got '\(label)'")
            }
        }
        guard KCIDBReport.isValidOrigin(kcidbOrigin) else { throw ValidationError("'--kcidb-origin' must match [a-z0-9_]+") }
        for (flag, id) in [("--kcidb-test-id", kcidbTestId), ("--kcidb-build-id", kcidbBuildId)] {
            if let id, !KCIDBReport.isValidID(id) {
                throw ValidationError("'\(flag)' must be ORIGIN:ID with ORIGIN matching [a-z0-9_]+ (kcidb-io refuses '\(id)')")
            }
        }
    }

    static func isLabelName(_ name: Substring) -> Bool {
        guard let first = name.utf8.first, !(first >= 0x30 && first <= 0x39), !name.hasPrefix("__") else { return false }
        return name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }
}
