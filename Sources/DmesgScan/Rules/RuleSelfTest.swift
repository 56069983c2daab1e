/// Runs the `tests:` embedded in rule files: each example line must (or must not) match
/// its rule, with the expected fields.
public enum RuleSelfTest {
    public struct Failure: Sendable, CustomStringConvertible {
        public var rule: String
        public var location: SourceLocation
        public var message: String
        public var description: String { "\(location): \(rule): \(message)" }
    }

    public static func run(_ rules: RuleSet) -> (examples: Int, failures: [Failure]) {
        var failures: [Failure] = []
        var examples = 0
        for (index, rule) in rules.rules.enumerated() {
            for example in rule.examples {
                examples += 1
                var bytes = Array(example.line.utf8)
                var found: Event?
                var limit: Int32?
                bytes.withUnsafeMutableBytes { raw in
                    let record = RecordParser.parse(UnsafeRawBufferPointer(raw), lineNumber: 1)
                    if rules.contextualRules.contains(index) {
                        rules.run(index, record, { found = $0 }, { _, code in limit = code })
                    } else {
                        rules.match(record, { if $0.rule == index { found = $0 } }, failed: { r, code in if r == index { limit = code } })
                    }
                }
                if let limit {
                    failures.append(.init(rule: rule.id, location: example.location, message: "PCRE2 error: \(PCRE2Regex.message(for: limit))"))
                    continue
                }
                switch (example.shouldMatch, found) {
                case (true, nil):
                    failures.append(.init(rule: rule.id, location: example.location, message: "expected a match: \(example.line)"))
                case (false, .some):
                    failures.append(.init(rule: rule.id, location: example.location, message: "expected no match: \(example.line)"))
                case (true, let event?):
                    for (key, value) in example.fields.sorted(by: { $0.key < $1.key }) where event.fields[key] != value {
                        failures.append(.init(rule: rule.id, location: example.location, message: "field `\(key)`: expected `\(value)`, got `\(event.fields[key] ?? "nothing")`"))
                    }
                default:
                    break
                }
            }
        }
        return (examples, failures)
    }
}
