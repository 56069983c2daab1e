import ArgumentParser
import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare a new run with a baseline: titles and invariant failures that are new, gone, more or less often (docs/compare.md).",
        discussion: """
            Each side is logs, directories or JSON summaries of `dmesgscan --format json`. Items are \
            counted in boots; a rate change counts only when Fisher's exact test supports it at --alpha. \
            Exit status: 0 no regression at or above --fail-level, 1 regressions, 2 an input error.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, junit }

    @Argument(help: "BASELINE NEW: one path each (a log, a directory or a JSON summary); use --baseline and --new for more.")
    var sides: [String] = []

    @Option(name: .customLong("baseline"), help: "A log, directory or JSON summary of the baseline (repeatable: several make one side).")
    var baselinePaths: [String] = []

    @Option(name: .customLong("new"), help: "A log, directory or JSON summary of the new run (repeatable).")
    var newPaths: [String] = []

    @Option(name: [.customShort("f"), .long], help: "Output format: text, json (schema/diff.schema.json) or junit.")
    var format: Format = .text

    @Option(help: "Significance level of Fisher's exact test for a change in rate.")
    var alpha = 0.05

    @Option(name: [.customShort("p"), .customLong("fail-level"), .customLong("priority")], help: "Exit 1 on a regression at or above this level (the levels of scan).")
    var failLevel = "warning"

    @Option(name: .shortAndLong, help: "Write the output to FILE (as scan -o does).")
    var output: String?

    @Option(name: [.customShort("j", allowingJoined: true), .long], help: "Worker threads for scanning logs (default: the CPUs this process may use: its affinity and cgroup CPU quota).")
    var jobs: Int?

    @Flag(help: "List unchanged items too (text).")
    var verbose = false

    @Flag(help: "Pretty-print JSON.")
    var pretty = false

    @OptionGroup var ruleOptions: RuleOptions
    @OptionGroup var knownOptions: KnownOptions

    var baseline: [String] { baselinePaths.isEmpty ? Array(sides.prefix(1)) : baselinePaths }
    var new: [String] { newPaths.isEmpty ? Array(sides.dropFirst()) : newPaths }

    func validate() throws {
        if baselinePaths.isEmpty != newPaths.isEmpty {
            throw ValidationError("give both --baseline and --new, or BASELINE NEW")
        }
        if baselinePaths.isEmpty && sides.count != 2 {
            throw ValidationError("diff compares two sides: BASELINE NEW, or --baseline PATH... --new PATH...")
        }
        if !baselinePaths.isEmpty && !sides.isEmpty { throw ValidationError("give the sides either as BASELINE NEW or with --baseline/--new, not both") }
        guard Level(name: failLevel) != nil else { throw ValidationError("'--fail-level' must be one of: \(Level.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard alpha > 0 && alpha < 1 else { throw ValidationError("'--alpha' must be between 0 and 1") }
        if let jobs, jobs < 1 { throw ValidationError("'--jobs' must be at least 1") }
    }

    func run() throws {
        Console.ignoreSigpipe()
        let loader = try ruleOptions.loadFilesOrExit()
        let known = try knownOptions.loadOrExit()
        let sink: OutputSink
        do { sink = try OutputSink(path: output) } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
        var reader = SideReader(loader: loader, jobs: jobs ?? AvailableCPUs.count, known: known)
        let before = reader.read(baseline)
        let after = reader.read(new)
        if before.rulesDigests.union(after.rulesDigests).count > 1 {
            Console.err("dmesgscan: diff: the sides were made with different rules (digests \(before.rulesDigests.union(after.rulesDigests).sorted().joined(separator: ", "))); titles may differ for that reason alone")
        }
        let comparison = RunComparison(baseline: before, new: after, alpha: alpha, failLevel: Level(name: failLevel)!)
        let knownReport = known.map { KnownIssueReport($0, file: knownOptions.known!) }
        var report = ComparisonReport(comparison, toolVersion: DmesgScanCommand.version, knownIssues: knownReport)
        report.verbose = verbose
        // The text report lists them itself.
        if format != .text { for notice in knownReport?.notices ?? [] { Console.err("dmesgscan: \(notice)") } }
        switch format {
        case .text: sink.write(report.text)
        case .json: sink.write(report.json.serialized(pretty: pretty) + "\n")
        case .junit: sink.write(report.junit)
        }
        do { try sink.commit() } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
        if reader.errors { throw ExitCode(2) }
        if !comparison.regressions.isEmpty { throw ExitCode(1) }
    }
}
