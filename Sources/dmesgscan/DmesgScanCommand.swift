import ArgumentParser
import DmesgScan

@main
struct DmesgScanCommand: ParsableCommand {
    static let version = "0.1.0"
    static let configuration = CommandConfiguration(
        commandName: "dmesgscan",
        abstract: "Analyse Linux kernel logs: reports, boot-order invariants, findings.",
        discussion: """
            Exit status: 0 nothing at or above --fail-level, 1 findings or failed enforced \
            invariants at or above it, 2 an input or rule error (other inputs are still scanned).
            """,
        version: version,
        subcommands: [Scan.self, Merge.self, Rules.self, Debug.self],
        defaultSubcommand: Scan.self)
}
