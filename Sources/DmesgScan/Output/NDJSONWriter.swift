/// NDJSON: a line per finding, per verdict and per boot summary, as each is known.
public struct NDJSONWriter: ResultWriter {
    let emit: (String) -> Void
    let rules: RuleSet
    /// Verdicts that do not apply are written too.
    let verbose: Bool
    /// Each rule's name, made once (not per finding).
    private let ruleNames: [String: String]
    /// When the scan ran (ISO 8601): `event.created`, and `@timestamp` without a wall clock.
    let scanTime: String
    /// `--label KEY=VALUE`s, as ECS `labels.*`.
    let labels: [(String, String)]

    public init(rules: RuleSet, verbose: Bool, scanTime: String, labels: [(String, String)] = [], emit: @escaping (String) -> Void) {
        self.rules = rules
        self.verbose = verbose
        self.scanTime = scanTime
        self.labels = labels
        self.emit = emit
        ruleNames = Dictionary(rules.rules.map { ($0.id, RuleExport.name(of: $0)) }, uniquingKeysWith: { first, _ in first })
    }

    public mutating func liveFinding(_ finding: Finding, input: String, boot: Int, kernel: KernelVersion?) {
        let name = ruleNames[finding.rule] ?? finding.rule
        let event = NDJSONEvent.finding(finding, input: input, boot: boot, kernel: kernel, ruleName: name, rulesDigest: rules.digest,
                                        scanTime: scanTime, labels: labels)
        emit(event.serialized() + "\n")
    }

    /// Verdicts sent live for the boot still open, by invariant id.
    private var liveVerdicts = Set<String>()

    public mutating func liveVerdict(_ verdict: InvariantVerdict, input: String, boot: Int, kernel: KernelVersion?) {
        liveVerdicts.insert(verdict.id)
        guard verdict.outcome != .notApplicable || verbose else { return }
        let event = NDJSONEvent.verdict(verdict, bootIndex: boot, kernel: kernel, findings: [], input: input, rulesDigest: rules.digest,
                                        scanTime: scanTime, labels: labels)
        emit(event.serialized() + "\n")
    }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        if !liveFindingsSent {
            for finding in boot.findings { liveFinding(finding, input: input, boot: boot.index, kernel: boot.kernel) }
        }
        defer { liveVerdicts = [] }
        for v in boot.invariants where (v.outcome != .notApplicable || verbose) && !liveVerdicts.contains(v.id) {
            emit(NDJSONEvent.verdict(v, boot: boot, findings: boot.findings, input: input, rulesDigest: rules.digest, scanTime: scanTime, labels: labels).serialized() + "\n")
        }
        emit(NDJSONEvent.bootSummary(boot, input: input, scanTime: scanTime, labels: labels).serialized() + "\n")
    }

    public mutating func finishInput(_ result: InputResult) {
        emit(NDJSONEvent.inputState(result, scanTime: scanTime, labels: labels).serialized() + "\n")
    }
    public mutating func finish(_ totals: ArchiveTotals) {}
}
