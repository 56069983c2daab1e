/// Checks rule files for what would make them fail or slow: patterns that do not compile
/// (with the PCRE2 error offset as a column), duplicate ids, patterns the literal
/// prefilter cannot use, regexes in double-quoted YAML strings, and, when asked,
/// constructs that other regex engines (RE2, Rust regex, Go) lack.
public enum RuleLinter {
    public struct Message: Sendable, CustomStringConvertible {
        public enum Severity: String, Sendable { case error, warning }
        public var location: SourceLocation
        public var severity: Severity
        public var rule: String
        public var text: String
        public var description: String { "\(location): \(severity.rawValue): \(rule): \(text)" }
    }

    /// PCRE2-only constructs and what they are, for `--portable`.
    static let nonPortable: [(String, String)] = [
        ("(?<=", "lookbehind"), ("(?<!", "negative lookbehind"), ("(?=", "lookahead"), ("(?!", "negative lookahead"),
        ("(?>", "atomic group"), ("(?|", "branch reset"), ("(?(", "conditional"), ("(?R)", "recursion"),
        ("\\K", "match reset \\K"), ("*+", "possessive quantifier"), ("++", "possessive quantifier"), ("?+", "possessive quantifier"),
        ("\\k<", "named backreference"),
    ]

    public static func lint(_ loaded: RuleLoader, portable: Bool = false) -> [Message] {
        var messages: [Message] = []
        var seen: [String: SourceLocation] = [:]
        for rule in loaded.rules {
            func add(_ severity: Message.Severity, _ text: String, column offset: Int = 0) {
                var location = rule.location
                location.column += offset
                messages.append(Message(location: location, severity: severity, rule: rule.id, text: text))
            }
            if let first = seen[rule.id] {
                add(.error, "duplicate rule id (first defined at \(first))")
            } else {
                seen[rule.id] = rule.location
            }
            do {
                _ = try PCRE2Regex(rule.pattern)
            } catch {
                add(.error, "pattern does not compile: \(error.message) (PCRE2 error offset \(error.offset))", column: error.offset)
            }
            if rule.patternDoubleQuoted {
                add(.warning, "pattern in a double-quoted YAML string: YAML reads its backslashes first; use single quotes")
            }
            let plan = PrefilterPlan.plan(for: rule)
            if plan == .everyLine {
                add(.warning, "no literal of 4 or more bytes for the prefilter: this rule runs on every line; add `literal:` or `prefixes:`")
            }
            for example in rule.examples where example.shouldMatch {
                var bytes = Array(example.line.utf8)
                let message = bytes.withUnsafeMutableBytes { raw in
                    String(decoding: RecordParser.parse(UnsafeRawBufferPointer(raw), lineNumber: 1).message, as: UTF8.self)
                }
                if !plan.admits(message) {
                    messages.append(Message(location: example.location, severity: .error, rule: rule.id,
                                            text: "the prefilter (\(plan)) would skip this matching example"))
                }
            }
            if portable {
                for (construct, name) in nonPortable {
                    if let range = rule.pattern.firstRange(of: construct) {
                        add(.warning, "\(name) `\(construct)` is PCRE-only (not in RE2/Go/Rust regex)",
                            column: rule.pattern.utf8.distance(from: rule.pattern.startIndex, to: range.lowerBound))
                    }
                }
                if rule.pattern.contains(/\\[1-9]/) { add(.warning, "backreference is PCRE-only") }
            }
        }
        var invariantIDs = Set<String>()
        for invariant in loaded.invariants {
            if !invariantIDs.insert(invariant.id).inserted {
                messages.append(Message(location: invariant.location, severity: .error, rule: invariant.id, text: "duplicate invariant id"))
            }
            let ruleIDs = Set(loaded.rules.map(\.id))
            for id in [invariant.event?.rule, invariant.refusedBy?.rule].compactMap({ $0 }) + invariant.hazardRules where !ruleIDs.contains(id) {
                messages.append(Message(location: invariant.location, severity: .error, rule: invariant.id, text: "names unknown rule `\(id)`"))
            }
        }
        return messages
    }
}
