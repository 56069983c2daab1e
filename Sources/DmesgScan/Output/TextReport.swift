/// Text for people: per boot, the verdicts first with their evidence lines, then findings.
public struct TextReport {
    public var color: Bool
    public var verbose: Bool

    public init(color: Bool = false, verbose: Bool = false) {
        self.color = color
        self.verbose = verbose
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Control characters from the log (terminal escapes, BEL, backspace, carriage returns)
    /// as `\xNN`, so that a log line can never drive the reader's terminal. Newlines and
    /// tabs are kept: they move the cursor, nothing more, and multi-line messages use them.
    public static func escapeControls(_ text: String) -> String {
        func isControl(_ value: UInt32) -> Bool {
            (value < 0x20 && value != 0x0A && value != 0x09) || value == 0x7F || (0x80...0x9F).contains(value)
        }
        // Fast path over bytes: C1 controls (U+0080-U+009F) are encoded as C2 80..C2 9F.
        guard text.utf8.contains(where: { ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar.value) {
                out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private func stamp(_ t: Double?) -> String {
        t.map { "[\(JSONValue.format($0))] " } ?? ""
    }

    public func boot(_ boot: BootResult, input: String) -> String {
        var out = ""
        let input = TextReport.escapeControls(input)
        let kernel = TextReport.escapeControls(boot.kernel?.release ?? "unknown kernel")
        out += paint("\(input): boot \(boot.index + 1) (\(kernel), lines \(boot.firstLine)-\(boot.lastLine), reached \(boot.reached.rawValue))", "1") + "\n"
        out += timeline(boot)
        for v in boot.invariants where verbose || v.outcome != .notApplicable {
            let label: String
            switch v.outcome {
            case .pass: label = paint("PASS", "32")
            case .fail where v.known != nil: label = paint("KNOWN", "36")
            case .fail: label = v.enforced ? paint("FAIL", "1;31") : paint("fail", "33")
            case .unknown: label = paint("UNKNOWN", "35")
            case .notApplicable: label = "n/a"
            }
            let enforced = v.enforced ? "enforced" : "not enforced"
            out += "  \(label) \(v.id) (\(enforced), \(v.level.rawValue))\(v.latentHazard ? " latent hazard" : "")\n"
            out += "       \(TextReport.escapeControls(v.message))\n"
            if let known = v.known { out += "       \(TextReport.escapeControls(known.summary))\n" }
            for e in v.evidence {
                out += "       line \(e.line) \(e.role): \(stamp(e.timestamp))\(TextReport.escapeControls(e.text))\n"
            }
        }
        if boot.invariants.allSatisfy({ $0.outcome == .notApplicable }) && !verbose && !boot.invariants.isEmpty {
            out += "  no invariant applies to this boot\n"
        }
        // Repeats of one title in a boot are one entry: "×60, lines 1023-2027".
        for (_, group) in boot.findingsByTitle {
            let f = group[0]
            let name = f.level.rawValue.uppercased()
            let level = f.known != nil ? paint("KNOWN " + name, "36") : f.level >= .error ? paint(name, "1;31") : paint(name, "33")
            let last = group.map(\.endLine).max()!
            let span: String
            if group.count > 1 {
                span = "×\(group.count), lines \(f.line)-\(last)"
            } else {
                span = f.endLine > f.line ? "at lines \(f.line)-\(f.endLine)" : "at line \(f.line)"
            }
            let invariants = group.flatMap(\.invariants).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let related = invariants.isEmpty ? "" : " (explains \(invariants.joined(separator: ", ")))"
            out += "  \(level) \(TextReport.escapeControls(f.title)) \(span)\(related)\n"
            if let known = f.known { out += "       \(TextReport.escapeControls(known.summary))\n" }
            if !f.frames.isEmpty {
                let trace = f.frames.prefix(6).map(TextReport.escapeControls).joined(separator: " < ")
                out += "       call trace: \(trace)\(f.frames.count > 6 ? " < …" : "")\n"
            }
        }
        if !boot.droppedFindings.isEmpty {
            let total = boot.droppedFindings.reduce(0) { $0 + $1.count }
            out += "  \(total) more findings over this boot's limit, counted but not kept:\n"
            for d in boot.droppedFindings.sorted(by: { ($0.count, $1.title) > ($1.count, $0.title) }).prefix(10) {
                out += "       ×\(d.count) \(d.known != nil ? "KNOWN " : "")\(d.level.rawValue.uppercased()) \(TextReport.escapeControls(d.title))\n"
            }
        }
        return out
    }

    /// `phases: setup_arch 0.000 → page_alloc_init_late 0.412 (deferred 38 ms) → userspace 2.130`,
    /// then taint changes and lost lines, one line each.
    func timeline(_ boot: BootResult) -> String {
        let t = boot.timeline
        var out = ""
        if let phases = TextReport.phaseSummary(t) { out += "  phases: " + phases + "\n" }
        for change in t.taint {
            let cause = change.cause.flatMap { $0 < boot.findings.count ? boot.findings[$0] : nil }
            let by = cause.map { " after \(TextReport.escapeControls($0.title)) (line \($0.line))" } ?? ""
            out += "  tainted: \(change.added.isEmpty ? change.flags : change.added) from line \(change.line)\(by)\n"
        }
        if t.gapCount > 0 {
            let first = t.gaps.first.map { " (first at line \($0.line))" } ?? ""
            out += "  lost lines: \(t.gapCount) notice\(t.gapCount == 1 ? "" : "s"), \(t.linesLost) lines suppressed or dropped\(first)\n"
        }
        return out
    }

    /// `setup_arch 0.000 → page_alloc_init_late 0.412 (deferred 38 ms) → userspace 2.130`
    /// (line numbers where there are no timestamps); nil when no phase was reached.
    public static func phaseSummary(_ t: BootTimeline) -> String? {
        guard !t.phases.isEmpty else { return nil }
        return t.phases.map { p -> String in
            let at = p.timestamp.map { DecimalText.fixed($0, 3) } ?? "line \(p.line)"
            let own = p.durationMs.map { " (\(p.durationLabel ?? "took") \(DecimalText.fixed($0, 0)) ms)" } ?? ""
            return "\(p.name) \(at)\(own)"
        }.joined(separator: " → ")
    }

    /// A notice for an input none of whose lines looks like a kernel log record.
    public static func notKernelLog(_ result: InputResult) -> String? {
        guard result.error == nil, result.lines > 0, result.kernelRecords == 0 else { return nil }
        return "dmesgscan: \(result.path): none of its \(result.lines) lines looks like a kernel log record (no timestamp, kmsg, syslog or journal prefix, and no rule matched); is it a kernel log?"
    }

    public static func inputError(_ result: InputResult) -> String? {
        guard let error = result.error else { return nil }
        let kept = result.lines > 0 ? " (kept \(result.lines) lines read before it)" : ""
        return "dmesgscan: \(result.path): \(error)\(kept)"
    }
}
