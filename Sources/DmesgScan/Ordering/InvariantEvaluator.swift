/// Evaluates the invariants declared in rule files on one boot. It knows the three kinds
/// (`order`, `never`, `reach`) and how anchors place an event; nothing about any particular
/// invariant, kernel function or printk.
///
/// Placement is by record order between anchors: an anchor with `side: after` is printed
/// only once its milestone completed, `side: before` only while it had not, and the last
/// line of an `after-last` rule (one per NUMA node that deferred pages) marks completion.
final class InvariantEvaluator {
    let rules: RuleSet
    private var patterns: [String: PCRE2Regex] = [:]
    /// Each rule's anchors for a milestone, by rule index (made once per milestone: placing
    /// an event reads every event of its boot).
    private var anchorsByRule: [String: [[Rule.Anchor]]] = [:]
    /// Rules whose events name a NUMA node.
    private let numaRules: [Bool]
    /// What each invariant's checks look up, by its place in `rules.invariants`.
    private var prepared: [Prepared] = []

    /// An invariant's rule sets as flags by rule index, its frames as a set, and its field
    /// selectors split into exact values and compiled patterns: each was built anew, or
    /// parsed from its text, for every boot.
    private struct Prepared {
        var hazard: [Bool]
        var explaining: [Bool]
        var explainFrames: Set<String>
        /// The byte lengths of those frames' names, by length: most frames of a trace are
        /// ruled out by length, before any string is hashed.
        var explainFrameLengths: [Bool]
        /// The event selector's fields: a value to equal, or a pattern to match.
        var selectors: [(key: String, exact: String?, pattern: PCRE2Regex?)]
        /// A `/regex/` field whose pattern does not compile selects nothing.
        var selectsNothing: Bool
    }

    init(rules: RuleSet) {
        self.rules = rules
        numaRules = rules.rules.map(\.numaNode)
        prepared = rules.invariants.map(prepare)
    }

    private func prepare(_ invariant: Invariant) -> Prepared {
        func flags(_ ids: [String]) -> [Bool] {
            var flags = [Bool](repeating: false, count: rules.rules.count)
            for id in ids { if let index = rules.index(of: id) { flags[index] = true } }
            return flags
        }
        var selectors: [(key: String, exact: String?, pattern: PCRE2Regex?)] = []
        var selectsNothing = false
        // Sorted by key, so that the order of the checks does not depend on hashing.
        for (key, expected) in (invariant.event?.fields ?? [:]).sorted(by: { $0.key < $1.key }) {
            if expected.count > 2, expected.hasPrefix("/"), expected.hasSuffix("/") {
                if let regex = pattern(String(expected.dropFirst().dropLast())) {
                    selectors.append((key, nil, regex))
                } else {
                    selectsNothing = true
                }
            } else {
                selectors.append((key, expected, nil))
            }
        }
        let frames = invariant.explains?.frames ?? []
        var lengths = [Bool](repeating: false, count: (frames.map(\.utf8.count).max() ?? 0) + 1)
        for frame in frames { lengths[frame.utf8.count] = true }
        return Prepared(
            hazard: flags(invariant.hazardRules), explaining: flags(invariant.explains?.rules ?? []),
            explainFrames: Set(frames), explainFrameLengths: lengths, selectors: selectors, selectsNothing: selectsNothing)
    }

    private func anchors(for milestone: String) -> [[Rule.Anchor]] {
        if let known = anchorsByRule[milestone] { return known }
        let table = rules.rules.map { rule in rule.anchors.filter { $0.milestone == milestone } }
        anchorsByRule[milestone] = table
        return table
    }

    /// Evaluates `rules.invariants[number]` on `boot`.
    func evaluate(_ number: Int, in boot: BootLog, reached: BootResult.Reached, findings: [Finding]) -> InvariantVerdict {
        let invariant = rules.invariants[number]
        let wanted = prepared[number]
        var verdict = InvariantVerdict(
            id: invariant.id, title: invariant.title, outcome: .notApplicable, enforced: enforcedByKernel(invariant, boot),
            level: .info, message: "", latentHazard: false, evidence: [], relatedFindings: [])
        if let range = invariant.kernel, let kernel = boot.kernel, !range.contains(kernel) {
            return finish(verdict, invariant, boot, key: "not_applicable", fields: [:])
        }
        switch invariant.kind {
        case .order: return order(invariant, wanted, boot, findings, &verdict)
        case .never: return never(invariant, wanted, boot, findings, &verdict)
        case .reach: return reach(invariant, boot, reached, &verdict)
        }
    }

    // MARK: kinds

    private func order(_ invariant: Invariant, _ wanted: Prepared, _ boot: BootLog, _ findings: [Finding], _ verdict: inout InvariantVerdict) -> InvariantVerdict {
        let milestone = invariant.milestone!
        // A refusal: a report holding the refusal event (and the named frame).
        if let refusal = invariant.refusedBy, let refusalRule = rules.index(of: refusal.rule) {
            for report in boot.reports {
                guard let hit = report.events.first(where: { boot.events[$0].rule == refusalRule }) else { continue }
                if let frame = refusal.frame, !report.hasFrame(frame) { continue }
                verdict.evidence.append(evidence(boot.events[hit], "refusal"))
                if let frame = refusal.frame, let shown = report.frames.first(where: { $0.function == frame }) {
                    verdict.evidence.append(.init(event: "frame", role: "frame", line: shown.line, timestamp: nil, text: shown.text))
                }
                verdict.relatedFindings += findingIndices(of: report, in: findings)
            }
            if !verdict.evidence.isEmpty {
                verdict.outcome = .fail
                verdict.enforced = verdict.enforced || invariant.enforcedWhenRefused
                let firstRefusal = verdict.evidence.map(\.line).min() ?? 0
                verdict.relatedFindings += explained(invariant, wanted, boot, findings, from: firstRefusal)
                return finish(verdict, invariant, boot, key: "fail_refused", fields: [:])
            }
        }
        guard let event = occurrences(invariant, wanted, in: boot, first: true).first?.event else {
            return finish(verdict, invariant, boot, key: "not_applicable", fields: [:])
        }
        verdict.evidence.append(evidence(event, "event"))
        let placement = place(event, milestone: milestone, in: boot)
        if let anchor = placement.afterAnchorBefore { verdict.evidence.append(evidence(anchor, "anchor-after")) }
        if let anchor = placement.beforeAnchorAfter { verdict.evidence.append(evidence(anchor, "anchor-before")) }
        if !placement.nodesDeferred.isEmpty {
            verdict.nodesSeen = placement.nodesSeen
            verdict.nodesDeferred = placement.nodesDeferred
            let seen = placement.nodesSeen.map(String.init).joined(separator: ", ")
            let deferred = placement.nodesDeferred.map(String.init).joined(separator: ", ")
            verdict.evidence.append(.init(event: "numa", role: "nodes", line: event.line, timestamp: nil,
                                          text: "NUMA nodes seen: \(seen.isEmpty ? "none printed" : seen); deferred struct-page init: \(deferred)"))
        }
        let late = placement.afterAnchorBefore != nil
        let early = placement.beforeAnchorAfter != nil
        let (good, bad) = invariant.mustPrecede ? (early, late) : (late, early)
        switch (good, bad) {
        case (true, false): verdict.outcome = .pass
        case (false, true): verdict.outcome = .fail
        default: verdict.outcome = .unknown
        }
        let hazardRules = wanted.hazard
        if verdict.outcome == .fail && !verdict.enforced, let hazard = boot.events.first(where: { hazardRules[$0.rule] }) {
            verdict.latentHazard = true
            verdict.evidence.append(evidence(hazard, "hazard"))
        }
        if verdict.outcome == .fail { verdict.relatedFindings += explained(invariant, wanted, boot, findings, from: event.line) }
        let key: String
        switch verdict.outcome {
        case .pass: key = "pass"
        case .fail: key = verdict.enforced ? "fail" : "fail_unenforced"
        case .unknown: key = "unknown"
        case .notApplicable: key = "not_applicable"
        }
        return finish(verdict, invariant, boot, key: key, fields: event.fields)
    }

    private func never(_ invariant: Invariant, _ wanted: Prepared, _ boot: BootLog, _ findings: [Finding], _ verdict: inout InvariantVerdict) -> InvariantVerdict {
        var fields: [String: String] = [:]
        var callers: [String] = []
        for (event, report) in occurrences(invariant, wanted, in: boot) {
            verdict.evidence.append(evidence(event, "event"))
            guard let report else { continue }
            verdict.relatedFindings += findingIndices(of: report, in: findings)
            let skip = invariant.callerSkip.flatMap(pattern)
            if let caller = report.frames.first(where: { frame in
                !frame.isInstructionPointer && !(skip.map { $0.matches(frame.function) } ?? false)
            }) {
                verdict.evidence.append(.init(event: "frame", role: "caller", line: caller.line, timestamp: nil, text: caller.text))
                if !callers.contains(caller.function) { callers.append(caller.function) }
            }
        }
        if verdict.evidence.isEmpty {
            let hazardRules = wanted.hazard
            // Without the condition that makes it possible (deferred init), there is nothing to check.
            verdict.outcome = !hazardRules.contains(true) || boot.events.contains(where: { hazardRules[$0.rule] }) ? .pass : .notApplicable
            return finish(verdict, invariant, boot, key: verdict.outcome == .pass ? "pass" : "not_applicable", fields: [:])
        }
        verdict.outcome = .fail
        fields["caller"] = callers.isEmpty ? "an unknown caller" : callers.joined(separator: ", ")
        verdict.relatedFindings += explained(invariant, wanted, boot, findings, from: verdict.evidence.map(\.line).min() ?? 0)
        return finish(verdict, invariant, boot, key: verdict.enforced ? "fail" : "fail_unenforced", fields: fields)
    }

    private func reach(_ invariant: Invariant, _ boot: BootLog, _ reached: BootResult.Reached, _ verdict: inout InvariantVerdict) -> InvariantVerdict {
        let goal = invariant.reach ?? "userspace"
        let key: String
        if reached.rawValue == goal {
            verdict.outcome = .pass
            key = "pass"
        } else if reached == .panic {
            verdict.outcome = .notApplicable  // the panic is a finding of its own
            key = "not_applicable"
        } else if boot.followedByAnotherBoot && reached == .kernel && boot.kernel != nil && boot.endsWithKernelRecord {
            verdict.outcome = .fail  // it rebooted (or was reset) before getting there
            key = verdict.enforced ? "fail" : "fail_unenforced"
        } else {
            verdict.outcome = .unknown  // the log (or a pasted excerpt) ends: the boot may have gone on
            key = "unknown"
        }
        verdict.evidence.append(.init(event: "boot", role: "last-line", line: boot.lastLine, timestamp: nil, text: "boot ends at line \(boot.lastLine), reached \(reached.rawValue)"))
        return finish(verdict, invariant, boot, key: key, fields: ["reached": reached.rawValue])
    }

    // MARK: placement

    struct Placement {
        var afterAnchorBefore: Event?
        var beforeAnchorAfter: Event?
        var nodesSeen: [Int] = []
        var nodesDeferred: [Int] = []
    }

    /// The nearest `after` anchor before the event and the nearest `before` anchor after it.
    func place(_ event: Event, milestone: String, in boot: BootLog) -> Placement {
        // Events are read in place and kept by index: a copy of each candidate (its strings
        // and fields) was most of the cost.
        var after: Int?
        var before: Int?
        var lastOfRule: [Int: Int] = [:]
        var seen = Set<Int>()
        var deferred = Set<Int>()
        let anchorsOfRule = anchors(for: milestone)
        let events = boot.events
        for index in events.indices where numaRules[events[index].rule] || !anchorsOfRule[events[index].rule].isEmpty {
            let rule = events[index].rule
            let line = events[index].line
            if numaRules[rule], let node = events[index].fields["node"].flatMap({ Int($0) }) { seen.insert(node) }
            for anchor in anchorsOfRule[rule] {
                if let range = anchor.kernel {
                    guard let kernel = boot.kernel, range.contains(kernel) else { continue }
                }
                switch anchor.side {
                case .after:
                    if line < event.line { after = index }
                case .before:
                    if line > event.line && before == nil { before = index }
                case .afterLast:
                    lastOfRule[rule] = index
                    if let node = events[index].fields["node"].flatMap({ Int($0) }) { deferred.insert(node) }
                }
            }
        }
        // Completion by the last line of an after-last rule (all deferring nodes are done).
        for last in lastOfRule.values where events[last].line < event.line {
            if after.map({ events[$0].line < events[last].line }) ?? true { after = last }
        }
        var placement = Placement()
        placement.afterAnchorBefore = after.map { events[$0] }
        placement.beforeAnchorAfter = before.map { events[$0] }
        placement.nodesSeen = seen.union(deferred).sorted()
        placement.nodesDeferred = deferred.sorted()
        return placement
    }

    // MARK: helpers

    private func enforcedByKernel(_ invariant: Invariant, _ boot: BootLog) -> Bool {
        guard let range = invariant.enforcedKernel else { return true }
        return boot.kernel.map(range.contains) ?? false
    }

    /// The events an invariant is about, in record order, with the report each belongs to.
    private func occurrences(_ invariant: Invariant, _ wanted: Prepared, in boot: BootLog, first: Bool = false) -> [(event: Event, report: Report?)] {
        let selector = invariant.event!
        if let title = selector.title {
            // `title: '/regex/'` (slashes optional).
            let body = title.count > 2 && title.hasPrefix("/") && title.hasSuffix("/") ? String(title.dropFirst().dropLast()) : title
            guard let regex = pattern(body) else { return [] }
            return boot.reports.filter { regex.matches($0.title) }.map { report in
                let banner = report.excerpt.first { $0.line == report.bannerLine }?.text ?? report.title
                return (Event(rule: report.rule, line: report.bannerLine, timestamp: report.timestamp, caller: report.caller,
                              fields: report.fields, text: banner), report)
            }
        }
        // One pass over the events comparing rule numbers; reports are looked up only for hits.
        guard let id = selector.rule, let rule = rules.index(of: id) else { return [] }
        if wanted.selectsNothing { return [] }
        var found: [(event: Event, report: Report?)] = []
        for index in boot.events.indices where boot.events[index].rule == rule && selects(wanted.selectors, boot.events[index]) {
            found.append((boot.events[index], boot.reports.first { $0.events.contains(index) }))
            if first { break }
        }
        return found
    }

    /// Whether an event of the selector's rule has the fields it asks for.
    private func selects(_ wanted: [(key: String, exact: String?, pattern: PCRE2Regex?)], _ event: Event) -> Bool {
        for selector in wanted {
            guard let value = event.fields[selector.key] else { return false }
            if let exact = selector.exact {
                if value != exact { return false }
            } else if let regex = selector.pattern, !regex.matches(value) {
                return false
            }
        }
        return true
    }

    private func pattern(_ text: String) -> PCRE2Regex? {
        if let cached = patterns[text] { return cached }
        let compiled = try? PCRE2Regex(text)
        patterns[text] = compiled
        return compiled
    }

    private func evidence(_ event: Event, _ role: String) -> InvariantVerdict.Evidence {
        .init(event: rules.rules[event.rule].id, role: role, line: event.line, timestamp: event.timestamp, text: event.text)
    }

    private func findingIndices(of report: Report, in findings: [Finding]) -> [Int] {
        findings.indices.filter { findings[$0].line == report.startLine && findings[$0].rule == rules.rules[report.rule].id }
    }

    /// Reports the early event can explain: a listed frame in their trace, or a listed rule,
    /// and only reports that hold the event or come after it (`from` is its line): a report
    /// printed before the free cannot be its consequence.
    private func explained(_ invariant: Invariant, _ wanted: Prepared, _ boot: BootLog, _ findings: [Finding], from line: Int) -> [Int] {
        guard invariant.explains != nil else { return [] }
        let explaining = wanted.explaining
        let frames = wanted.explainFrames
        let lengths = wanted.explainFrameLengths
        var related: [Int] = []
        for report in boot.reports where report.endLine >= line {
            let byFrame = report.frames.contains { frame in
                let length = frame.function.utf8.count
                return length < lengths.count && lengths[length] && frames.contains(frame.function)
            }
            let byRule = explaining[report.rule] || report.events.contains { explaining[boot.events[$0].rule] }
            if byFrame || byRule { related += findingIndices(of: report, in: findings) }
        }
        return related
    }

    private func finish(_ verdict: InvariantVerdict, _ invariant: Invariant, _ boot: BootLog, key: String, fields: [String: String]) -> InvariantVerdict {
        var verdict = verdict
        if verdict.outcome == .fail {
            verdict.level = verdict.enforced ? invariant.level : invariant.unenforcedLevel
        } else {
            verdict.level = .info
        }
        let kernel = boot.kernel?.release ?? "unknown kernel"
        let milestone = invariant.milestone ?? invariant.reach ?? ""
        // The event's captures, with the kernel and milestone over them.
        let value = { (name: String) -> String? in
            switch name {
            case "guilty": nil
            case "kernel": kernel
            case "milestone": milestone
            default: fields[name]
            }
        }
        let template = invariant.messages[key] ?? invariant.messages["fail"] ?? "\(invariant.id): \(verdict.outcome.rawValue)"
        var message = ReportTitle.render(template, value)
        if verdict.latentHazard, let note = invariant.messages["hazard"] {
            message += " " + ReportTitle.render(note, value)
        }
        verdict.message = message
        verdict.evidence.sort { $0.line < $1.line }
        return verdict
    }
}
