/// Prometheus text, written once the totals are known; verdicts are counted per boot here,
/// with whether each was enforced.
public struct PrometheusWriter: ResultWriter {
    let emit: (String) -> Void
    let text: PrometheusText
    let rules: RuleSet
    private var verdicts: [PrometheusText.VerdictKey: Int] = [:]

    public init(text: PrometheusText, rules: RuleSet, emit: @escaping (String) -> Void) {
        self.text = text
        self.rules = rules
        self.emit = emit
    }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        for v in boot.invariants { verdicts[PrometheusText.VerdictKey(invariant: v.id, outcome: v.outcome, enforced: v.enforced), default: 0] += 1 }
    }

    public mutating func finishInput(_ result: InputResult) {}
    public mutating func finish(_ totals: ArchiveTotals) { emit(text.document(totals, rules: rules, verdicts: verdicts)) }
}
