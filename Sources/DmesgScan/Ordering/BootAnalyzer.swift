/// Turns a boot's events and reports into findings and invariant verdicts.
public struct BootAnalyzer {
    public let rules: RuleSet
    private let evaluator: InvariantEvaluator

    public init(rules: RuleSet) {
        self.rules = rules
        self.evaluator = InvariantEvaluator(rules: rules)
    }

    public func analyze(_ boot: BootLog) -> BootResult {
        var findings = collectFindings(boot)
        let reached = reached(boot)
        var verdicts: [InvariantVerdict] = []
        for invariant in rules.invariants {
            var verdict = evaluator.evaluate(invariant, in: boot, reached: reached, findings: findings)
            verdict.relatedFindings = Array(Set(verdict.relatedFindings)).sorted()
            for index in verdict.relatedFindings { findings[index].invariants.append(invariant.id) }
            verdicts.append(verdict)
        }
        var result = BootResult(
            index: boot.index, kernel: boot.kernel, architecture: boot.architecture, firstLine: boot.firstLine, lastLine: boot.lastLine,
            reached: reached, findings: findings, invariants: verdicts, droppedFindings: boot.droppedFindings)
        result.wallClockStart = boot.wallClockStart
        result.wallClockEnd = boot.wallClockEnd
        return result
    }

    private func reached(_ boot: BootLog) -> BootResult.Reached {
        var userspace = false
        for event in boot.events {
            switch rules.rules[event.rule].boot {
            case .panic?: return .panic
            case .userspace?: userspace = true
            default: break
            }
        }
        if userspace { return .userspace }
        return boot.cutShort ? .truncated : .kernel
    }

    /// Reports, then single-line events at warning level or above that are not part of one.
    private func collectFindings(_ boot: BootLog) -> [Finding] {
        var findings = boot.reports.map { FindingBuilder.finding($0, rules: rules) }
        let inReport = Set(boot.reports.flatMap(\.events))
        for (index, event) in boot.events.enumerated() where !inReport.contains(index) {
            if let finding = FindingBuilder.finding(event, rules: rules) { findings.append(finding) }
        }
        return findings.sorted { $0.line < $1.line }
    }
}
