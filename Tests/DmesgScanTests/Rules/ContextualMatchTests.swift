import DmesgScan
import Testing

/// Report lines are matched by contextual rules and read in place (`ContextualMatch`):
/// what they give must be what an event's fields would hold.
@Suite("Rules: contextual matches read in place")
struct ContextualMatchTests {
    static let yaml = """
        rules:
          - id: demo.frame
            report: frame
            pattern: '^ *(?:\\((?<func2>\\w+)\\) from \\((?<caller>\\w+)\\)|(?<func>\\w+)\\+0x)'
          - id: demo.same-name
            report: continue
            pattern: '(?J)^(?:last: (?<what>\\w+)|first: (?<what>\\w+))(?: cpu (?<cpu>\\d+))?'
        """

    func ruleSet() throws -> RuleSet {
        var loader = RuleLoader()
        try loader.load(yaml: Self.yaml, file: "demo.yml")
        return try RuleSet(loader)
    }

    /// Runs `rule` on `line` and returns what the callback read (nil: no match).
    func read(_ rules: RuleSet, _ id: String, _ line: String, _ body: (ContextualMatch) -> [String]) -> [String]? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { raw -> [String]? in
            let record = RecordParser.parse(raw, lineNumber: 7)
            var read: [String]?
            rules.runContextual(rules.index(of: id)!, record) { read = body($0) }
            return read
        }
    }

    @Test func namedFieldsAndTheLineAreReadFromTheMatch() throws {
        let rules = try ruleSet()
        #expect(rules.contextualRules.count == 2)
        let fields = { (match: ContextualMatch) in
            ["func", "func2", "caller", "none"].map { match.field($0) ?? "-" } + [match.text]
        }
        #expect(read(rules, "demo.frame", " kfree+0x1c/0x30", fields) == ["kfree", "-", "-", "-", " kfree+0x1c/0x30"])
        #expect(read(rules, "demo.frame", "(f) from (g)", fields) == ["-", "f", "g", "-", "(f) from (g)"])
        #expect(read(rules, "demo.frame", " ? kfree", fields) == nil)
    }

    @Test func groupsOfOneNameGiveTheSetOneAndEveryFieldOnce() throws {
        let rules = try ruleSet()
        let all = { (match: ContextualMatch) -> [String] in
            var seen: [String] = []
            match.forEachField { key, value in seen.append("\(key)=\(value)") }
            return [match.field("what") ?? "-"] + seen
        }
        // The second group named `what` is the set one: `field` must not stop at the first.
        #expect(read(rules, "demo.same-name", "first: alloc cpu 3", all) == ["alloc", "cpu=3", "what=alloc"])
        #expect(read(rules, "demo.same-name", "last: free", all) == ["free", "what=free"])
    }
}
