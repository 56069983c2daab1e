/// Prometheus text: counters only, written once the totals are known.
public struct PrometheusWriter: ResultWriter {
    let emit: (String) -> Void

    public init(emit: @escaping (String) -> Void) { self.emit = emit }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {}
    public mutating func finishInput(_ result: InputResult) {}
    public mutating func finish(_ totals: ArchiveTotals) { emit(PrometheusText.document(totals)) }
}
