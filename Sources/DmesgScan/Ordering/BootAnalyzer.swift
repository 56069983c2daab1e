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
        let timeline = timeline(boot, findings: findings)
        for index in findings.indices {
            findings[index].phase = timeline.phase(at: findings[index].line)
            findings[index].possiblyIncomplete = timeline.hasGap(from: findings[index].line, to: findings[index].endLine)
        }
        let reached = reached(boot)
        var verdicts: [InvariantVerdict] = []
        for (number, invariant) in rules.invariants.enumerated() {
            var verdict = evaluator.evaluate(number, in: boot, reached: reached, findings: findings)
            verdict.relatedFindings = Array(Set(verdict.relatedFindings)).sorted()
            for index in verdict.evidence.indices { verdict.evidence[index].phase = timeline.phase(at: verdict.evidence[index].line) }
            let lines = verdict.evidence.map(\.line)
            if let first = lines.min(), let last = lines.max() { verdict.possiblyIncomplete = timeline.hasGap(from: first, to: last) }
            for index in verdict.relatedFindings { findings[index].invariants.append(invariant.id) }
            verdicts.append(verdict)
        }
        var result = BootResult(
            index: boot.index, kernel: boot.kernel, architecture: boot.architecture, firstLine: boot.firstLine, lastLine: boot.lastLine,
            reached: reached, findings: findings, invariants: verdicts, droppedFindings: boot.droppedFindings)
        result.wallClockStart = boot.wallClockStart
        result.wallClockEnd = boot.wallClockEnd
        result.timeline = timeline
        return result
    }

    /// Phases from the rules' `phase:` marks (the earliest line placing each), taint changes
    /// linked to the report before them, and lost-lines notices.
    private func timeline(_ boot: BootLog, findings: [Finding]) -> BootTimeline {
        var timeline = BootTimeline()
        var placed: [String: BootTimeline.Phase] = [:]
        for (rule, lines) in boot.timeline.phaseLines {
            for mark in rules.rules[rule].phases {
                if let range = mark.kernel {
                    guard let kernel = boot.kernel, range.contains(kernel) else { continue }
                }
                let event = mark.atLast ? lines.last : lines.first
                var phase = BootTimeline.Phase(name: mark.name, line: event.line, timestamp: event.timestamp,
                                               durationMs: nil, durationLabel: mark.durationLabel)
                if let field = mark.durationField {
                    phase.durationMs = [lines.first, lines.last].compactMap { $0.fields[field].flatMap { Double($0) } }.max()
                }
                if let seen = placed[mark.name], seen.line <= phase.line {
                    if seen.durationMs == nil, let ms = phase.durationMs { placed[mark.name]!.durationMs = ms; placed[mark.name]!.durationLabel = phase.durationLabel }
                    continue
                }
                if let seen = placed[mark.name], phase.durationMs == nil { phase.durationMs = seen.durationMs; phase.durationLabel = seen.durationLabel }
                placed[mark.name] = phase
            }
        }
        timeline.phases = placed.values.sorted { ($0.line, $0.name) < ($1.line, $1.name) }
        var previous = Set<Character>()
        for event in boot.timeline.taintChanges {
            let flags = BootTimelineEvents.flags(event.fields["taint"])
            let letters = Set(flags.filter { $0 != " " })
            defer { previous = letters }
            guard letters != previous, !letters.isEmpty else { continue }
            let added = String(flags.filter { $0 != " " && !previous.contains($0) })
            let cause = findings.lastIndex { $0.endLine < event.line }
            timeline.taint.append(BootTimeline.TaintChange(line: event.line, timestamp: event.timestamp, flags: flags, added: added, cause: cause))
        }
        timeline.gaps = boot.timeline.gaps.map {
            BootTimeline.Gap(line: $0.line, timestamp: $0.timestamp, count: $0.fields["count"].flatMap { Int($0) }, text: $0.text)
        }
        timeline.gapCount = boot.timeline.gapCount
        timeline.linesLost = boot.timeline.linesLost
        return timeline
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
        // Flags by event index, and events read in place (a set of indices hashed each one,
        // and `enumerated()` copied every event).
        var inReport = [Bool](repeating: false, count: boot.events.count)
        for report in boot.reports {
            for index in report.events where index >= 0 && index < inReport.count { inReport[index] = true }
        }
        for index in boot.events.indices where !inReport[index] {
            if let finding = FindingBuilder.finding(boot.events[index], rules: rules) { findings.append(finding) }
        }
        return findings.sorted { $0.line < $1.line }
    }
}
