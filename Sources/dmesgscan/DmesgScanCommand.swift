import ArgumentParser
import DmesgScan

// Every command names itself in its configuration: a name derived from the type costs the
// runtime a type-name lookup (about a million instructions each, on every start).
@main
struct DmesgScanCommand: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "dmesgscan",
        abstract: "Analyse Linux kernel logs: reports, boot-order invariants, findings.",
        discussion: """
            `scan` is the default: `dmesgscan LOG` is `dmesgscan scan LOG`, and `dmesgscan scan --help` \
            lists its options (formats: text, json, ndjson, junit, prom, kcidb, sarif, github, tap, html). `dmesgscan diff BASELINE NEW` compares runs.

            Exit status: 0 nothing at or above --fail-level, 1 findings or failed enforced \
            invariants at or above it, 2 an input or rule error (other inputs are still scanned) \
            or nothing like a kernel log scanned, 64 a bad command line, 128 + N a live stream \
            stopped by signal N (after writing what it had).
            """,
        version: version,
        subcommands: [Scan.self, Diff.self, Merge.self, Rules.self, Debug.self],
        defaultSubcommand: Scan.self)

    /// The shipped rules are parsed beside the command line (see `RulePrefetch`).
    static func main() {
        if let shipped = RuleLocator.defaultRulesDirectory() { RulePrefetch.start(paths: [shipped]) }
        main(nil)
    }
}
