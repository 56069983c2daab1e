/// How the prefilter finds the lines a rule could match, cheapest first.
public enum PrefilterPlan: Equatable, Sendable {
    /// Run only by report grouping on the lines of open reports (frames, RIP, continuation).
    case contextual
    /// The message starts with one of these (declared `prefixes:`, or the text after `^`).
    case prefixes([String])
    /// The message contains this literal somewhere (declared `literal:` or extracted).
    case literal(String)
    /// Nothing to go on: the rule runs on every line.
    case everyLine

    public static func plan(for rule: Rule) -> PrefilterPlan {
        if rule.report == .frame || rule.report == .rip || rule.report == .lock || rule.report == .continue { return .contextual }
        let starts = rule.prefixes.isEmpty ? LiteralExtractor.anchoredPrefix(rule.pattern).map { [$0] } ?? [] : rule.prefixes
        if !starts.isEmpty && starts.allSatisfy({ $0.utf8.count >= 4 }) { return .prefixes(starts) }
        if let literal = rule.literal ?? LiteralExtractor.requiredLiteral(rule.pattern), literal.utf8.count >= 4 { return .literal(literal) }
        return .everyLine
    }

    /// Whether the plan admits a message (the prefilter must admit every message the rule matches).
    public func admits(_ message: String) -> Bool {
        switch self {
        case .contextual, .everyLine: return true
        case .prefixes(let starts): return starts.contains { message.hasPrefix($0) }
        case .literal(let literal): return message.contains(literal)
        }
    }
}
