/// Rule patterns rewritten for tools that see whole log lines: one alternation, named
/// groups made plain (names repeat across rules), and the `^` anchor on the message
/// dropped (the line still has its `[ts]` prefix). Used to compare with grep and ripgrep.
public enum RuleExport {
    public static func alternation(_ rules: [Rule]) -> String {
        rules.filter { $0.report != .frame && $0.report != .rip && $0.report != .lock && $0.report != .continue }.map { rule in
            var pattern = rule.pattern
            if pattern.hasPrefix("^") { pattern.removeFirst() }
            pattern = pattern.replacing(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/, with: "(?:")
            return "(?:" + pattern + ")"
        }.joined(separator: "|")
    }

    /// A rule's title with its placeholders as capitals: "WARNING in {func}" → "WARNING in FUNC".
    public static func name(of rule: Rule) -> String {
        rule.title.replacing(/\{([a-z_|]+)\}/) { match in String(match.output.1).uppercased().replacing("|", with: "/") }
    }
}
