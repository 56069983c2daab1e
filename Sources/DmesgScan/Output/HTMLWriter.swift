/// One self-contained HTML file (inline CSS and SVG; no script, font or image fetched): a
/// collapsed section per boot with its timeline drawn in SVG, its verdicts in words and
/// colour, and its findings with their excerpts; then the batch's summary table, which CSS
/// shows first. Boots are written as they end, so memory stays flat; sizes are bounded per
/// boot (titles, excerpt lines, marks) so that thousands of inputs stay openable.
public struct HTMLWriter: ResultWriter {
    public static let maxTitlesPerBoot = 40
    public static let maxExcerptLines = 40
    public static let maxBootSections = 5000
    public static let maxOpenBoots = 10

    let toolVersion: String
    let rulesDigest: String
    let emit: (String) -> Void
    private var started = false
    private var sections = 0
    private var opened = 0
    private var errors: [(String, String)] = []

    public init(toolVersion: String, rulesDigest: String, emit: @escaping (String) -> Void) {
        self.toolVersion = toolVersion
        self.rulesDigest = rulesDigest
        self.emit = emit
    }

    // MARK: the stream

    private mutating func start() {
        guard !started else { return }
        started = true
        emit("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>dmesgscan report</title>
            <style>\(HTMLWriter.css)</style></head>
            <body><h1>dmesgscan report</h1>
            <p class="meta">dmesgscan \(escape(toolVersion)), rules \(escape(rulesDigest)). Each boot is a
            section (click to open); its timeline shows the phases the boot reached as bands, invariant events ◆ and their
            anchors │, findings ● (click one for its excerpt), taint changes ▲ and lost lines ✕.</p>
            <main>

            """)
    }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        start()
        sections += 1
        if sections == HTMLWriter.maxBootSections + 1 {
            emit("<p class=\"note\">Further boots are counted in the summary but not drawn (more than \(HTMLWriter.maxBootSections)).</p>\n")
        }
        guard sections <= HTMLWriter.maxBootSections else { return }
        let important = boot.invariants.contains { $0.outcome == .fail && $0.enforced && $0.known == nil }
            || boot.findings.contains { $0.level >= .error && $0.known == nil }
        let open = important && opened < HTMLWriter.maxOpenBoots
        if open { opened += 1 }
        emit(HTMLWriter.section(boot, input: input, id: "b\(sections)", open: open))
    }

    public mutating func finishInput(_ result: InputResult) {
        start()
        if let error = result.error { errors.append((result.path, error.description)) }
    }

    public mutating func finish(_ totals: ArchiveTotals) {
        start()
        var out = "</main>\n"
        if !errors.isEmpty {
            out += "<section class=\"errors\"><h2>Input errors</h2><ul>\n"
            for (path, error) in errors { out += "<li><code>\(escape(path))</code>: \(escape(error))</li>\n" }
            out += "</ul></section>\n"
        }
        out += HTMLWriter.summary(totals)
        out += "</body></html>\n"
        emit(out)
    }

    // MARK: a boot

    static func verdictWord(_ v: InvariantVerdict) -> (word: String, css: String) {
        switch v.outcome {
        case .pass: return ("PASS", "pass")
        case .fail where v.known != nil: return ("KNOWN", "known")
        case .fail where v.enforced: return ("FAIL", "fail")
        case .fail: return ("fail, not enforced", "expected")
        case .unknown: return ("UNKNOWN", "unknown")
        case .notApplicable: return ("n/a", "na")
        }
    }

    static func section(_ boot: BootResult, input: String, id: String, open: Bool) -> String {
        let kernel = boot.kernel?.release ?? "unknown kernel"
        let decided = boot.invariants.filter { $0.outcome != .notApplicable }
        let badges = decided.map { v -> String in
            let (word, css) = verdictWord(v)
            return "<span class=\"v \(css)\" title=\"\(escape(v.id))\">\(escape(word))</span>"
        }.joined(separator: " ")
        let groups = boot.findingsByTitle
        var out = "<details class=\"boot\" id=\"\(id)\"\(open ? " open" : "")><summary>\(badges) <b>\(escape(input))</b>: boot \(boot.index + 1)"
        out += " (\(escape(kernel)), lines \(boot.firstLine)–\(boot.lastLine), reached \(boot.reached.rawValue))"
        out += groups.isEmpty ? "" : ", \(boot.findings.count) finding\(boot.findings.count == 1 ? "" : "s")"
        out += "</summary>\n"
        out += timelineSVG(boot, id: id)
        if let phases = TextReport.phaseSummary(boot.timeline) { out += "<p class=\"phases\">phases: \(escape(phases))</p>\n" }
        out += "<table class=\"verdicts\"><tr><th>verdict</th><th>invariant</th><th>why</th></tr>\n"
        for v in boot.invariants {
            let (word, css) = verdictWord(v)
            let evidence = v.evidence.prefix(6).map { "line \($0.line) \($0.role)\($0.phase.map { " (\($0))" } ?? ""): \(escape(TextReport.escapeControls($0.text)))" }
            var why = escape(TextReport.escapeControls(v.message))
            if let known = v.known { why += "<br><i>\(escape(known.summary))</i>" }
            if v.possiblyIncomplete { why += "<br><i>possibly incomplete: the log lost lines here</i>" }
            if !evidence.isEmpty { why += "<br><small>" + evidence.joined(separator: "<br>") + "</small>" }
            out += "<tr class=\"\(css)\"><td><span class=\"v \(css)\">\(escape(word))</span>\(v.enforced ? "" : " <small>not enforced on this kernel</small>")</td>"
            out += "<td><code>\(escape(v.id))</code></td><td>\(why)</td></tr>\n"
        }
        out += "</table>\n"
        if !groups.isEmpty {
            out += "<div class=\"findings\">\n"
            for (index, group) in groups.prefix(maxTitlesPerBoot).enumerated() {
                let f = group.findings[0]
                let times = group.findings.count > 1 ? " ×\(group.findings.count)" : ""
                let span = f.endLine > f.line ? "lines \(f.line)–\(f.endLine)" : "line \(f.line)"
                let marks = (f.known.map { " <i>\(escape($0.summary))</i>" } ?? "") + (f.possiblyIncomplete ? " <i>possibly incomplete</i>" : "")
                out += "<details class=\"finding \(f.level.rawValue)\" id=\"\(id)-f\(index)\"><summary><span class=\"lv\">\(f.level.rawValue.uppercased())</span> "
                out += "\(escape(TextReport.escapeControls(group.title)))\(times) <small>\(span)\(f.phase.map { ", in \(escape($0))" } ?? "")</small>\(marks)</summary>\n"
                let lines = f.excerpt.prefix(maxExcerptLines).map { "\($0.line): \(TextReport.escapeControls($0.text))" }
                let more = f.excerpt.count > maxExcerptLines ? "\n… \(f.excerpt.count - maxExcerptLines) more lines" : ""
                out += "<pre>\(escape(lines.joined(separator: "\n") + more))</pre></details>\n"
            }
            if groups.count > maxTitlesPerBoot { out += "<p class=\"note\">\(groups.count - maxTitlesPerBoot) more titles in this boot.</p>\n" }
            out += "</div>\n"
        }
        for change in boot.timeline.taint {
            let cause = change.cause.flatMap { $0 < boot.findings.count ? boot.findings[$0].title : nil }
            out += "<p class=\"taint\">▲ tainted <b>\(escape(change.added.isEmpty ? change.flags : change.added))</b> from line \(change.line)"
            out += cause.map { ", after <i>\(escape(TextReport.escapeControls($0)))</i>" } ?? "" 
            out += "</p>\n"
        }
        if boot.timeline.gapCount > 0 {
            out += "<p class=\"gap\">✕ \(boot.timeline.gapCount) lost-lines notice\(boot.timeline.gapCount == 1 ? "" : "s"), \(boot.timeline.linesLost) lines suppressed or dropped.</p>\n"
        }
        return out + "</details>\n"
    }

    /// The boot's timeline: phases as bands, on the time axis when the marks have timestamps,
    /// else in record order (line numbers).
    static func timelineSVG(_ boot: BootResult, id: String) -> String {
        let width = 960.0, left = 10.0, right = 950.0
        let t = boot.timeline
        let findingGroups = Array(boot.findingsByTitle.prefix(maxTitlesPerBoot).enumerated())
        let evidence = boot.invariants.filter { $0.outcome == .pass || $0.outcome == .fail }.flatMap { v in v.evidence.map { (v, $0) } }
        // Time where the lines have it: a mark without a timestamp (a call-trace line) takes
        // the time of the nearest line before it that has one. Record order otherwise.
        var points: [(line: Int, time: Double)] = t.phases.compactMap { p in p.timestamp.map { (p.line, $0) } }
        points += evidence.compactMap { e in e.1.timestamp.map { (e.1.line, $0) } }
        points += findingGroups.compactMap { g in g.element.findings[0].timestamp.map { (g.element.findings[0].line, $0) } }
        points += t.taint.compactMap { c in c.timestamp.map { (c.line, $0) } } + t.gaps.compactMap { g in g.timestamp.map { (g.line, $0) } }
        points.sort { $0.line < $1.line }
        let tmax = points.map(\.time).max() ?? 0
        let timeAxis = points.count >= 2 && tmax > 0
        let lineSpan = Double(max(boot.lastLine - boot.firstLine, 1))
        func time(_ line: Int, _ timestamp: Double?) -> Double {
            if let timestamp { return timestamp }
            return points.last { $0.line <= line }?.time ?? points.first?.time ?? 0
        }
        func x(_ line: Int, _ timestamp: Double?) -> Double {
            let fraction = timeAxis ? time(line, timestamp) / tmax : Double(line - boot.firstLine) / lineSpan
            return left + (right - left) * min(max(fraction, 0), 1)
        }
        func f(_ v: Double) -> String { DecimalText.fixed(v, 1) }
        var svg = "<svg class=\"timeline\" role=\"img\" viewBox=\"0 0 \(Int(width)) 118\" width=\"\(Int(width))\" height=\"118\" aria-label=\"timeline of boot \(boot.index + 1)\">\n"
        svg += "<rect class=\"track\" x=\"\(f(left))\" y=\"18\" width=\"\(f(right - left))\" height=\"36\"/>\n"
        for (index, phase) in t.phases.enumerated() {
            let x0 = x(phase.line, phase.timestamp)
            let x1 = index + 1 < t.phases.count ? x(t.phases[index + 1].line, t.phases[index + 1].timestamp) : right
            let at = phase.timestamp.map { DecimalText.fixed($0, 3) + " s" } ?? "line \(phase.line)"
            svg += "<g class=\"phase p\(index % 6)\"><rect x=\"\(f(x0))\" y=\"18\" width=\"\(f(max(x1 - x0, 1)))\" height=\"36\"/>"
            svg += "<title>\(escape(phase.name)) from \(at)\(phase.durationMs.map { ", \(phase.durationLabel ?? "took") \(DecimalText.fixed($0, 0)) ms" } ?? "")</title>"
            if x1 - x0 > 8 { svg += "<text x=\"\(f(x0 + 2))\" y=\"\(index % 2 == 0 ? 30 : 48)\">\(escape(phase.name))</text>" }
            svg += "</g>\n"
        }
        for (verdict, e) in evidence {
            let (word, css) = verdictWord(verdict)
            let px = x(e.line, e.timestamp)
            let title = "<title>\(escape(verdict.id)) \(escape(word)): \(escape(e.role)) at line \(e.line)</title>"
            if e.role == "event" || e.role == "refusal" {
                svg += "<path class=\"ev \(css)\" d=\"M\(f(px)) 56 l6 8 l-6 8 l-6 -8 z\">\(title)</path>\n"
            } else {
                svg += "<line class=\"anchor \(css)\" x1=\"\(f(px))\" y1=\"14\" x2=\"\(f(px))\" y2=\"58\">\(title)</line>\n"
            }
        }
        for (index, group) in findingGroups {
            let finding = group.findings[0]
            svg += "<a href=\"#\(id)-f\(index)\"><circle class=\"mark \(finding.level.rawValue)\" cx=\"\(f(x(finding.line, finding.timestamp)))\" cy=\"84\" r=\"6\">"
            svg += "<title>\(escape(TextReport.escapeControls(group.title))) (line \(finding.line)\(group.findings.count > 1 ? ", ×\(group.findings.count)" : ""))</title></circle></a>\n"
        }
        for change in t.taint {
            let px = x(change.line, change.timestamp)
            svg += "<path class=\"taintmark\" d=\"M\(f(px)) 92 l6 10 l-12 0 z\"><title>tainted \(escape(change.added)) at line \(change.line)</title></path>\n"
        }
        for gap in t.gaps.prefix(200) {
            let px = x(gap.line, gap.timestamp)
            svg += "<text class=\"gapmark\" x=\"\(f(px - 4))\" y=\"14\">✕<title>\(escape(TextReport.escapeControls(gap.text))) (line \(gap.line))</title></text>\n"
        }
        let axis = timeAxis ? "0 s … \(DecimalText.fixed(tmax, 3)) s since boot" : "record order: lines \(boot.firstLine) … \(boot.lastLine) (no timestamps)"
        svg += "<text class=\"axis\" x=\"\(f(left))\" y=\"114\">\(escape(axis))</text>\n"
        return svg + "</svg>\n"
    }

    // MARK: the summary

    static func summary(_ totals: ArchiveTotals) -> String {
        var out = "<section id=\"summary\"><h2>Summary</h2>\n"
        out += "<p>\(totals.inputs) input\(totals.inputs == 1 ? "" : "s") (\(totals.status["ok"] ?? 0) ok, \(totals.status["partial"] ?? 0) partial, "
        out += "\(totals.status["error"] ?? 0) error), \(totals.boots) boot\(totals.boots == 1 ? "" : "s"), \(totals.lines) lines.</p>\n"
        if !totals.verdicts.isEmpty {
            let outcomes = ["pass", "fail", "unknown", "not_applicable"]
            out += "<table><tr><th>invariant</th>" + outcomes.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
            for (id, counts) in totals.verdicts.sorted(by: { $0.key < $1.key }) {
                out += "<tr><td><code>\(escape(id))</code></td>" + outcomes.map { "<td>\(counts[$0] ?? 0)</td>" }.joined() + "</tr>\n"
            }
            out += "</table>\n"
        }
        if !totals.titles.isEmpty {
            out += "<table><tr><th>boots</th><th>times</th><th>inputs</th><th>level</th><th>title</th><th>first input</th></tr>\n"
            for (title, total) in totals.titles.sorted(by: { ($0.value.boots, $0.value.count, $1.key) > ($1.value.boots, $1.value.count, $0.key) }).prefix(200) {
                out += "<tr><td>\(total.boots)</td><td>\(total.count)</td><td>\(total.inputs)</td><td class=\"\(total.level.rawValue)\">\(total.level.rawValue)</td>"
                out += "<td>\(escape(TextReport.escapeControls(title)))\(total.known > 0 ? " <i>(known \(total.known))</i>" : "")</td><td><code>\(escape(total.firstInput))</code></td></tr>\n"
            }
            out += "</table>\n"
            if totals.titles.count > 200 { out += "<p class=\"note\">\(totals.titles.count - 200) more titles (the JSON summary lists all).</p>\n" }
        }
        if !totals.kernels.isEmpty {
            out += "<p>Kernels: " + totals.kernels.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(30)
                .map { "\(escape($0.key)) (\($0.value))" }.joined(separator: ", ") + (totals.kernels.count > 30 ? ", …" : "") + "</p>\n"
        }
        return out + "</section>\n"
    }

    /// Colour says it, and so do the words; grey for what the kernel does not enforce.
    static let css = """
        body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#111;display:flex;flex-direction:column}
        h1{order:-3;margin:.2em 0}.meta{order:-2;color:#555}#summary{order:-1;border-bottom:2px solid #ccc;margin-bottom:1em}
        table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
        details.boot{border:1px solid #ccc;border-radius:4px;margin:.4em 0;padding:.2em .6em}details.boot>summary{cursor:pointer}
        .v{display:inline-block;padding:0 .4em;border-radius:3px;font-weight:600;font-size:12px;border:1px solid}
        .v.pass{color:#0a5d1e;border-color:#0a5d1e;background:#e3f4e7}.v.fail{color:#fff;background:#b3121b;border-color:#b3121b}
        .v.expected,.v.known{color:#444;background:#e6e6e6;border-color:#999}.v.unknown{color:#6a3a8c;border-color:#6a3a8c;background:#f3ecf8}
        .v.na{color:#777;border-color:#ccc}
        svg.timeline{display:block;max-width:100%;height:auto;margin:.4em 0}svg .track{fill:#f4f4f4}
        svg .phase rect{stroke:#fff;stroke-width:1}svg .p0 rect{fill:#dbe8f6}svg .p1 rect{fill:#e6f2dc}svg .p2 rect{fill:#f6efd6}
        svg .p3 rect{fill:#efdff0}svg .p4 rect{fill:#dff1f1}svg .p5 rect{fill:#f3e0d9}svg text{font:11px system-ui,sans-serif;fill:#333}
        svg .ev.pass{fill:#0a8a2a}svg .ev.fail{fill:#c8102e}svg .ev.expected,svg .ev.known{fill:#8a8a8a}svg .ev.unknown{fill:#7a4a9c}
        svg .anchor{stroke:#333;stroke-width:1.5;stroke-dasharray:3 2}svg .anchor.fail{stroke:#c8102e}
        svg .mark{stroke:#222;stroke-width:1}svg .mark.critical,svg .mark.error{fill:#d9232e}svg .mark.warning{fill:#f0a020}
        svg .mark.info,svg .mark.notice,svg .mark.debug{fill:#9ab}svg .taintmark{fill:#5a2ca0}svg .gapmark{fill:#c8102e;font-weight:700}
        svg .axis{fill:#666}
        details.finding{margin:.2em 0 .2em 1em}details.finding:target{outline:2px solid #f0a020}
        .lv{font-weight:700}.critical .lv,.error .lv,td.error,td.critical{color:#b3121b}.warning .lv,td.warning{color:#9a5b00}
        pre{background:#f8f8f8;padding:.4em;overflow-x:auto;font-size:12px;max-height:30em}
        tr.fail td:first-child{border-left:4px solid #b3121b}tr.expected td:first-child{border-left:4px solid #999}
        .note{color:#666;font-style:italic}.taint{color:#5a2ca0}.gap{color:#b3121b}
        """
}
