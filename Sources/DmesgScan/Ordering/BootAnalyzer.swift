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
        return BootResult(
            index: boot.index, kernel: boot.kernel, firstLine: boot.firstLine, lastLine: boot.lastLine,
            reached: reached, findings: findings, invariants: verdicts)
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
        var findings: [Finding] = []
        var inReport = Set<Int>()
        for report in boot.reports {
            inReport.formUnion(report.events)
            findings.append(Finding(
                rule: rules.rules[report.rule].id, title: report.title, level: report.level,
                line: report.startLine, endLine: report.endLine, timestamp: report.timestamp,
                fields: report.fields, excerpt: report.excerpt,
                frames: report.frames.filter { !$0.isInstructionPointer }.map(\.function),
                guiltyFrame: report.guiltyFrame, signature: report.signature, lkpID: report.lkpID,
                corrupted: report.corrupted, complete: report.complete, invariants: []))
        }
        for (index, event) in boot.events.enumerated() where !inReport.contains(index) {
            let rule = rules.rules[event.rule]
            guard rule.level >= .warning, rule.report == nil else { continue }
            let title = ReportTitle.normalize(ReportTitle.render(rule.title, fields: event.fields, guilty: nil))
            var hash = FNV1a64()
            hash.add(title)
            findings.append(Finding(
                rule: rule.id, title: title,
                level: rule.level, line: event.line, endLine: event.line, timestamp: event.timestamp,
                fields: event.fields, excerpt: [(event.line, event.text)], frames: [], guiltyFrame: nil,
                signature: hash.hex, lkpID: ReportTitle.lkpID(template: rule.lkp, fields: event.fields, banner: event.text),
                corrupted: false, complete: true, invariants: []))
        }
        return findings.sorted { $0.line < $1.line }
    }
}
