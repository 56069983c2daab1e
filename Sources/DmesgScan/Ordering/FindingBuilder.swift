/// Makes findings: from a grouped report, or from a single line whose rule is at warning
/// level or above. Used at the end of a boot and, for live output, as soon as it is known.
public enum FindingBuilder {
    public static func finding(_ report: Report, rules: RuleSet) -> Finding {
        Finding(
            rule: rules.rules[report.rule].id, title: report.title, level: report.level,
            line: report.startLine, endLine: report.endLine, timestamp: report.timestamp,
            wallClock: report.wallClock, host: report.host,
            fields: report.fields, excerpt: report.excerpt,
            frames: report.frames.filter { !$0.isInstructionPointer && !$0.isLockSite }.map(\.function),
            guiltyFrame: report.guiltyFrame, signature: report.signature, lkpID: report.lkpID,
            corrupted: report.corrupted, complete: report.complete, invariants: [])
    }

    /// A finding for a single matched line, or nil when its rule is below warning or part of reports.
    public static func finding(_ event: Event, rules: RuleSet) -> Finding? {
        // Checked in place first: most events are below warning, and a copy of the rule
        // retains each of its strings and arrays.
        guard rules.rules[event.rule].level >= .warning, rules.rules[event.rule].report == nil else { return nil }
        let rule = rules.rules[event.rule]
        let title = rules.titles.normalize(ReportTitle.render(rule.title, fields: event.fields, guilty: nil))
        var hash = FNV1a64()
        hash.add(title)
        return Finding(
            rule: rule.id, title: title, level: rule.level, line: event.line, endLine: event.line,
            timestamp: event.timestamp, wallClock: event.wallClock, host: event.host,
            fields: event.fields, excerpt: [(event.line, event.text)], frames: [], guiltyFrame: nil,
            signature: hash.hex, lkpID: rules.titles.lkpID(template: rule.lkp, fields: event.fields, banner: event.text),
            corrupted: false, complete: true, invariants: [])
    }
}
