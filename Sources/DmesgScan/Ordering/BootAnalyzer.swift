/// Turns a boot's events and reports into findings and invariant verdicts.
///
/// Events are placed by record order between the anchors of a milestone: an anchor with
/// `side: after` is printed only once the milestone completed, one with `side: before`
/// only while it had not. The analyzer knows no invariant; all of that is rule data.
public struct BootAnalyzer {
    public let rules: RuleSet

    public init(rules: RuleSet) { self.rules = rules }

    public func analyze(_ boot: BootLog) -> BootResult {
        var findings = collectFindings(boot)
        var verdicts: [InvariantVerdict] = []
        for invariant in rules.invariants {
            var verdict = evaluate(invariant, in: boot, findings: findings)
            verdict.relatedFindings = verdict.relatedFindings.sorted()
            for index in verdict.relatedFindings { findings[index].invariants.append(invariant.id) }
            verdicts.append(verdict)
        }
        return BootResult(
            index: boot.index, kernel: boot.kernel, firstLine: boot.firstLine, lastLine: boot.lastLine,
            reached: reached(boot), findings: findings, invariants: verdicts)
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

    func evaluate(_ invariant: Invariant, in boot: BootLog, findings: [Finding]) -> InvariantVerdict {
        let eventRule = rules.index(of: invariant.event.rule)
        let enforcedByKernel: Bool
        if let range = invariant.enforcedKernel {
            enforcedByKernel = boot.kernel.map(range.contains) ?? false
        } else {
            enforcedByKernel = true
        }
        var verdict = InvariantVerdict(
            id: invariant.id, title: invariant.title, outcome: .notApplicable, enforced: enforcedByKernel,
            level: .info, message: "", latentHazard: false, evidence: [], relatedFindings: [])

        func evidence(_ event: Event, _ role: String) -> InvariantVerdict.Evidence {
            .init(event: rules.rules[event.rule].id, role: role, line: event.line, timestamp: event.timestamp, text: event.text)
        }

        // A refusal: a report holding the refusal event (and the named frame).
        if let refusal = invariant.refusedBy, let refusalRule = rules.index(of: refusal.rule) {
            for report in boot.reports {
                guard let hit = report.events.first(where: { boot.events[$0].rule == refusalRule }) else { continue }
                if let frame = refusal.frame, !report.hasFrame(frame) { continue }
                verdict.evidence.append(evidence(boot.events[hit], "refusal"))
                if let frame = refusal.frame, let shown = report.frames.first(where: { $0.function == frame }) {
                    verdict.evidence.append(.init(event: "frame", role: "frame", line: shown.line, timestamp: nil, text: shown.text))
                }
                if let finding = findings.firstIndex(where: { $0.line == report.startLine }) {
                    verdict.relatedFindings.append(finding)
                }
            }
            if !verdict.evidence.isEmpty {
                verdict.outcome = .fail
                verdict.enforced = enforcedByKernel || invariant.enforcedWhenRefused
                return finish(verdict, invariant, boot, key: "fail_refused", fields: [:])
            }
        }

        let matches = boot.events.filter { event in
            event.rule == eventRule && invariant.event.fields.allSatisfy { event.fields[$0.key] == $0.value }
        }
        guard let event = matches.first else {
            return finish(verdict, invariant, boot, key: "not_applicable", fields: [:])
        }
        verdict.evidence.append(evidence(event, "event"))

        var afterAnchorBefore: Event?
        var beforeAnchorAfter: Event?
        for anchorEvent in boot.events {
            for anchor in rules.rules[anchorEvent.rule].anchors where anchor.milestone == invariant.after {
                if let range = anchor.kernel {
                    guard let kernel = boot.kernel, range.contains(kernel) else { continue }
                }
                if anchor.side == .after && anchorEvent.line < event.line {
                    afterAnchorBefore = anchorEvent  // keep the nearest one before the event
                }
                if anchor.side == .before && anchorEvent.line > event.line && beforeAnchorAfter == nil {
                    beforeAnchorAfter = anchorEvent
                }
            }
        }
        if let anchor = afterAnchorBefore { verdict.evidence.append(evidence(anchor, "anchor-after")) }
        if let anchor = beforeAnchorAfter { verdict.evidence.append(evidence(anchor, "anchor-before")) }
        switch (afterAnchorBefore != nil, beforeAnchorAfter != nil) {
        case (true, false): verdict.outcome = .pass
        case (false, true): verdict.outcome = .fail
        default: verdict.outcome = .unknown
        }
        let hazardRules = Set(invariant.hazardRules.compactMap(rules.index(of:)))
        if verdict.outcome == .fail && !verdict.enforced, let hazard = boot.events.first(where: { hazardRules.contains($0.rule) }) {
            verdict.latentHazard = true
            verdict.evidence.append(evidence(hazard, "hazard"))
        }
        let key: String
        switch verdict.outcome {
        case .pass: key = "pass"
        case .fail: key = verdict.enforced ? "fail" : "fail_unenforced"
        case .unknown: key = "unknown"
        case .notApplicable: key = "not_applicable"
        }
        return finish(verdict, invariant, boot, key: key, fields: event.fields)
    }

    private func finish(_ verdict: InvariantVerdict, _ invariant: Invariant, _ boot: BootLog, key: String, fields: [String: String]) -> InvariantVerdict {
        var verdict = verdict
        if verdict.outcome == .fail {
            verdict.level = verdict.enforced ? invariant.level : invariant.unenforcedLevel
        } else {
            verdict.level = .info
        }
        var values = fields
        values["kernel"] = boot.kernel?.release ?? "unknown kernel"
        values["milestone"] = invariant.after
        let template = invariant.messages[key] ?? invariant.messages["fail"] ?? "\(invariant.id): \(verdict.outcome.rawValue)"
        var message = ReportTitle.render(template, fields: values, guilty: nil)
        if verdict.latentHazard, let note = invariant.messages["hazard"] {
            message += " " + ReportTitle.render(note, fields: values, guilty: nil)
        }
        verdict.message = message
        verdict.evidence.sort { $0.line < $1.line }
        return verdict
    }
}
