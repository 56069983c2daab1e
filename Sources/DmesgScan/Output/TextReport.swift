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

    private func stamp(_ t: Double?) -> String {
        t.map { "[\(JSONValue.format($0))] " } ?? ""
    }

    public func boot(_ boot: BootResult, input: String) -> String {
        var out = ""
        let kernel = boot.kernel?.release ?? "unknown kernel"
        out += paint("\(input): boot \(boot.index + 1) (\(kernel), lines \(boot.firstLine)-\(boot.lastLine), reached \(boot.reached.rawValue))", "1") + "\n"
        for v in boot.invariants where verbose || v.outcome != .notApplicable {
            let label: String
            switch v.outcome {
            case .pass: label = paint("PASS", "32")
            case .fail: label = v.enforced ? paint("FAIL", "1;31") : paint("fail", "33")
            case .unknown: label = paint("UNKNOWN", "35")
            case .notApplicable: label = "n/a"
            }
            let enforced = v.enforced ? "enforced" : "not enforced"
            out += "  \(label) \(v.id) (\(enforced), \(v.level.rawValue))\(v.latentHazard ? " latent hazard" : "")\n"
            out += "       \(v.message)\n"
            for e in v.evidence {
                out += "       line \(e.line) \(e.role): \(stamp(e.timestamp))\(e.text)\n"
            }
        }
        if boot.invariants.allSatisfy({ $0.outcome == .notApplicable }) && !verbose && !boot.invariants.isEmpty {
            out += "  no invariant applies to this boot\n"
        }
        for f in boot.findings {
            let level = f.level >= .error ? paint(f.level.rawValue.uppercased(), "1;31") : paint(f.level.rawValue.uppercased(), "33")
            let span = f.endLine > f.line ? "lines \(f.line)-\(f.endLine)" : "line \(f.line)"
            let related = f.invariants.isEmpty ? "" : " (explains \(f.invariants.joined(separator: ", ")))"
            out += "  \(level) \(f.title) at \(span)\(related)\n"
            if !f.frames.isEmpty {
                out += "       call trace: \(f.frames.prefix(6).joined(separator: " < "))\(f.frames.count > 6 ? " < …" : "")\n"
            }
        }
        return out
    }

    public func inputError(_ result: InputResult) -> String? {
        guard let error = result.error else { return nil }
        let kept = result.lines > 0 ? " (kept \(result.lines) lines read before it)" : ""
        return "dmesgscan: \(result.path): \(error)\(kept)"
    }
}
