/// TAP version 14 (the kernel's KTAP is a dialect of it): a test point per invariant verdict
/// and per report title of each boot, written as boots end, and the plan at the end. A
/// failure at or above the fail level is `not ok` with the evidence or excerpt as YAML
/// diagnostics; a failure the kernel does not enforce is `not ok … # TODO`; a verdict that
/// could not be decided is `# SKIP`; what a known-issues file lists is `not ok … # TODO known: …`.
public struct TAPWriter: ResultWriter {
    let emit: (String) -> Void
    let failLevel: Level
    private var number = 0
    private var started = false

    public init(failLevel: Level, emit: @escaping (String) -> Void) {
        self.failLevel = failLevel
        self.emit = emit
    }

    private mutating func start() {
        if !started { emit("TAP version 14\n") }
        started = true
    }

    private mutating func point(ok: Bool, _ description: String, directive: String? = nil, diagnostics: [(String, String)] = []) -> String {
        number += 1
        var line = "\(ok ? "ok" : "not ok") \(number) - \(TAPWriter.description(description))"
        if let directive { line += " # \(directive)" }
        line += "\n"
        if !diagnostics.isEmpty {
            line += "  ---\n"
            for (key, value) in diagnostics {
                let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count == 1 {
                    line += "  \(key): \(TAPWriter.yamlScalar(value))\n"
                } else {
                    line += "  \(key): |\n" + lines.map { "    " + TextReport.escapeControls(String($0)) + "\n" }.joined()
                }
            }
            line += "  ...\n"
        }
        return line
    }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        start()
        let name = "\(input) boot \(boot.index + 1)"
        var out = ""
        for v in boot.invariants {
            let evidence = v.evidence.map { "line \($0.line): \($0.text)" }.joined(separator: "\n")
            switch v.outcome {
            case .pass:
                out += point(ok: true, "\(name): invariant \(v.id)")
            case .fail where v.known != nil:
                // Expected: TAP's TODO is a failure that does not fail the run.
                out += point(ok: false, "\(name): invariant \(v.id)", directive: "TODO \(v.known!.summary)",
                             diagnostics: [("message", v.message), ("severity", v.level.rawValue), ("evidence", evidence)])
            case .fail where v.enforced && v.level >= failLevel:
                out += point(ok: false, "\(name): invariant \(v.id)", diagnostics: [("message", v.message), ("severity", v.level.rawValue), ("evidence", evidence)])
            case .fail:
                out += point(ok: false, "\(name): invariant \(v.id)", directive: "TODO not enforced on this kernel",
                             diagnostics: [("message", v.message), ("severity", v.level.rawValue), ("evidence", evidence)])
            case .unknown, .notApplicable:
                out += point(ok: true, "\(name): invariant \(v.id)", directive: "SKIP \(v.outcome.rawValue)")
            }
        }
        // One point per report title, however often the boot printed it.
        for (title, findings) in boot.findingsByTitle {
            let first = findings[0]
            let excerpt = first.excerpt.map { "\($0.line): \($0.text)" }.joined(separator: "\n")
            var diagnostics: [(String, String)] = [("message", title), ("severity", first.level.rawValue), ("rule", first.rule),
                                                   ("lines", "\(first.line)-\(first.endLine)"), ("count", String(findings.count))]
            if !excerpt.isEmpty { diagnostics.append(("excerpt", excerpt)) }
            if let known = first.known {
                out += point(ok: false, "\(name): \(title)", directive: "TODO \(known.summary)", diagnostics: diagnostics)
            } else {
                out += point(ok: first.level < failLevel, "\(name): \(title)", diagnostics: first.level < failLevel ? [] : diagnostics)
            }
        }
        emit(out)
    }

    public mutating func finishInput(_ result: InputResult) {
        start()
        if let error = result.error {
            emit(point(ok: false, "\(result.path): input read", diagnostics: [("message", error.description), ("severity", "error")]))
        } else if result.bootCount == 0 {
            emit(point(ok: false, "\(result.path): kernel log", diagnostics: [("message", result.lines == 0 ? "empty input" : "no kernel log records"), ("severity", "error")]))
        }
    }

    public mutating func finish(_ totals: ArchiveTotals) {
        start()
        emit("1..\(number)\n")
    }

    /// A description may not hold `#` (it starts a directive) or a line break.
    static func description(_ text: String) -> String {
        TextReport.escapeControls(text).replacing("#", with: "\\#").replacing("\n", with: " ")
    }

    /// A one-line YAML value, quoted when plain YAML would read it otherwise.
    static func yamlScalar(_ text: String) -> String {
        let escaped = TextReport.escapeControls(text)
        let plain = !escaped.isEmpty && escaped.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || " ._-()/+".unicodeScalars.contains($0) }
            && !escaped.hasPrefix(" ") && !escaped.hasSuffix(" ")
        return plain ? escaped : "\"" + escaped.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
