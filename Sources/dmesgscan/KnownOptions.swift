import ArgumentParser
import DmesgScan

struct KnownOptions: ParsableArguments {
    @Option(help: "A known-issues file (YAML): findings and verdicts it lists are marked known in every output and do not fail the run; entries that matched nothing or are past their date are named (docs/compare.md).")
    var known: String?

    /// The list, or a message naming file, line and column and exit status 2.
    func loadOrExit() throws -> KnownIssueList? {
        guard let known else { return nil }
        do { return try KnownIssueList(file: known, now: Double(OutputOptions.scanTime.seconds)) } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
    }
}
