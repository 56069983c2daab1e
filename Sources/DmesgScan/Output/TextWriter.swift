/// Text for people: each boot as it ends, then (for a batch) the summary table.
public struct TextWriter: ResultWriter {
    let emit: (String) -> Void
    let report: TextReport
    /// Print the summary table at the end (a batch of inputs, not one stream).
    let summary: Bool

    public init(report: TextReport, summary: Bool, emit: @escaping (String) -> Void) {
        self.report = report
        self.summary = summary
        self.emit = emit
    }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        emit(report.boot(boot, input: input))
    }

    public mutating func finishInput(_ result: InputResult) {
        if result.bootCount == 0 && result.error == nil {
            let what = result.lines == 0 ? "empty input" : "no kernel log records in its \(result.lines) lines"
            emit("\(TextReport.escapeControls(result.path)): \(what)\n")
        }
    }

    public mutating func finish(_ totals: ArchiveTotals) {
        if summary { emit(totals.text) }
    }
}
