/// GitHub Actions workflow commands, one per finding and per failed invariant:
/// `::error file=PATH,line=N,endLine=M,title=TITLE::MESSAGE` (`::warning`, `::notice` by
/// level; a failure the kernel does not enforce is a notice). They become annotations of
/// the run, and of the diff for logs kept in the repository.
public struct GitHubWriter: ResultWriter {
    let emit: (String) -> Void

    public init(emit: @escaping (String) -> Void) { self.emit = emit }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        var out = ""
        for f in boot.findings {
            let frame = f.guiltyFrame.map { " (in \($0))" } ?? ""
            let known = f.known.map { " (\($0.summary))" } ?? ""
            out += GitHubWriter.command(f.known == nil ? GitHubWriter.command(for: f.level) : "notice", file: input, line: f.line, endLine: f.endLine,
                                        title: f.title, message: "\(f.title)\(frame), boot \(boot.index + 1), rule \(f.rule)\(known)")
        }
        for v in boot.invariants where v.outcome == .fail {
            let line = v.evidence.first?.line ?? boot.firstLine
            let endLine = v.evidence.map(\.line).max() ?? line
            let known = v.known.map { " (\($0.summary))" } ?? ""
            out += GitHubWriter.command(v.enforced && v.known == nil ? GitHubWriter.command(for: v.level) : "notice", file: input, line: line, endLine: endLine,
                                        title: "\(v.id) failed\(v.enforced ? "" : " (not enforced)")", message: v.message + known)
        }
        if !out.isEmpty { emit(out) }
    }

    public mutating func finishInput(_ result: InputResult) {
        if let error = result.error {
            emit(GitHubWriter.command("error", file: result.path, line: nil, endLine: nil, title: "input error", message: error.description))
        }
    }

    public mutating func finish(_ totals: ArchiveTotals) {}

    static func command(for level: Level) -> String {
        switch level {
        case .critical, .error: return "error"
        case .warning: return "warning"
        default: return "notice"
        }
    }

    static func command(_ name: String, file: String, line: Int?, endLine: Int?, title: String, message: String) -> String {
        var properties = ["file=" + escape(file, property: true)]
        if let line { properties.append("line=\(line)") }
        if let endLine { properties.append("endLine=\(endLine)") }
        properties.append("title=" + escape(title, property: true))
        return "::\(name) \(properties.joined(separator: ","))::\(escape(message, property: false))\n"
    }

    /// `%`, CR and LF always; `:` and `,` too in property values.
    public static func escape(_ text: String, property: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
