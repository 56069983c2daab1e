/// `--count`, as `grep -c`: one line per input, `PATH:N`, N its findings (those kept and
/// those only counted past a boot's limit).
public struct CountWriter: ResultWriter {
    let emit: (String) -> Void
    private var count = 0

    public init(emit: @escaping (String) -> Void) { self.emit = emit }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        count += boot.findings.count + boot.droppedFindings.reduce(0) { $0 + $1.count }
    }

    public mutating func finishInput(_ result: InputResult) {
        emit("\(TextReport.escapeControls(result.path)):\(count)\n")
        count = 0
    }

    public mutating func finish(_ totals: ArchiveTotals) {}
}
