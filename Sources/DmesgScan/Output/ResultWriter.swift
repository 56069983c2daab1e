/// One output format, fed in scan order as results become known: each boot as it ends,
/// each input when it ends (after its boots), then the run's totals. A writer holds only
/// what its format cannot write before the end (counters, deduplicated issues), so memory
/// stays flat however many boots pass through it. Text goes to `emit` as it is made.
public protocol ResultWriter {
    /// A finding before its boot ends (a live stream); only NDJSON writes these.
    mutating func liveFinding(_ finding: Finding, input: String, boot: Int, kernel: KernelVersion?)
    /// A verdict decided before its boot ends (a live stream); only NDJSON writes these, and
    /// leaves them out of the boot's verdicts when the boot ends.
    mutating func liveVerdict(_ verdict: InvariantVerdict, input: String, boot: Int, kernel: KernelVersion?)
    /// A boot of `input`; `liveFindingsSent` when its findings already went to `liveFinding`.
    mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool)
    mutating func finishInput(_ result: InputResult)
    mutating func finish(_ totals: ArchiveTotals)
}

extension ResultWriter {
    public mutating func liveFinding(_ finding: Finding, input: String, boot: Int, kernel: KernelVersion?) {}
    public mutating func liveVerdict(_ verdict: InvariantVerdict, input: String, boot: Int, kernel: KernelVersion?) {}

    /// Writes results whose boots were kept (`InputScanner.keepBoots`), then their totals.
    public mutating func write(_ results: [InputResult]) {
        var totals = ArchiveTotals()
        for result in results {
            for boot in result.boots {
                self.boot(boot, input: result.path, liveFindingsSent: false)
                totals.add(boot, input: result.path)
            }
            finishInput(result)
            totals.finishInput(result)
        }
        finish(totals)
    }
}
