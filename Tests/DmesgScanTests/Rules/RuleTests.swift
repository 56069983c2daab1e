import DmesgScan
import Testing

@Suite("Rules: loading, compiling, self-tests")
struct RuleTests {
    @Test func shippedRulesPassTheirOwnExamples() {
        let (count, failures) = RuleSelfTest.run(TestSupport.ruleSet())
        #expect(count > 50)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func aWrongExampleIsReportedWithItsLine() throws {
        var loader = RuleLoader()
        try loader.load(yaml: """
            rules:
              - id: demo.devtmpfs
                pattern: '^devtmpfs: (?<state>\\w+)'
                tests:
                  - line: 'devtmpfs: initialized'
                    fields: {state: mounted}
                  - line: 'devtmpfs: mounted'
                    match: false
            """, file: "demo.yml")
        let failures = RuleSelfTest.run(try RuleSet(loader)).failures
        #expect(failures.count == 2)
        #expect(failures.map(\.location.line) == [5, 7])
        #expect(failures[0].description.hasPrefix("demo.yml:5:"))
    }

    @Test func badPatternNamesFileLineAndOffset() {
        var loader = RuleLoader()
        try! loader.load(yaml: """
            rules:
              - id: ok.rule
                pattern: '^fine'
              - id: broken.rule
                pattern: '^Freeing (?<area>.+ memory'
            """, file: "bad.yml")
        #expect {
            try RuleSet(loader)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("bad.yml:5:") && text.contains("broken.rule") && text.contains("offset")
        }
    }

    @Test func unknownKeysAndBadVersionRangesAreErrors() {
        var loader = RuleLoader()
        #expect(throws: RuleError.self) {
            try loader.load(yaml: "rules:\n  - id: x\n    patern: 'typo'\n", file: "typo.yml")
        }
        #expect(throws: RuleError.self) {
            try loader.load(yaml: "rules:\n  - id: x\n    pattern: 'abcd'\n    anchors:\n      - {milestone: m, side: after, kernel: 'newer than 6'}\n", file: "range.yml")
        }
    }

    @Test func duplicateIdsAndUnknownInvariantRulesAreErrors() throws {
        var dup = RuleLoader()
        try dup.load(yaml: "rules:\n  - {id: a, pattern: 'abcd'}\n  - {id: a, pattern: 'efgh'}\n", file: "dup.yml")
        #expect(throws: RuleError.self) { try RuleSet(dup) }
        var inv = RuleLoader()
        try inv.load(yaml: "invariants:\n  - {id: i, event: {rule: nope}, after: m}\n", file: "inv.yml")
        #expect(throws: RuleError.self) { try RuleSet(inv) }
    }

    @Test func literalExtraction() {
        #expect(LiteralExtractor.requiredLiteral("^Freeing (?<area>.+?) memory: (?<k>\\d+)K") == " memory: ")
        #expect(LiteralExtractor.requiredLiteral("^---\\[ end (?:trace|Kernel panic)") == "---[ end ")
        #expect(LiteralExtractor.requiredLiteral("^devtmpfs: initialized") == "devtmpfs: initialized")
        #expect(LiteralExtractor.requiredLiteral("a|b") == nil)
        #expect(LiteralExtractor.requiredLiteral("(?i)warning") == nil)
        #expect(LiteralExtractor.requiredLiteral("^WARNINGS?: x") == "WARNING")
        #expect(LiteralExtractor.requiredLiteral("abc\\d") == nil)
    }

    /// The prefilter may report false positives but never a false negative: every example
    /// that should match its rule must be a candidate for it.
    @Test func prefilterNeverHidesAMatch() {
        let rules = TestSupport.ruleSet()
        for rule in rules.rules {
            guard let literal = rule.literal ?? LiteralExtractor.requiredLiteral(rule.pattern) else { continue }
            for example in rule.examples where example.shouldMatch {
                #expect(example.line.contains(literal), "\(rule.id): literal \(literal) not in \(example.line)")
            }
        }
    }

    @Test func catastrophicBacktrackingIsAReportedRuleErrorNotAHang() throws {
        var loader = RuleLoader()
        try loader.load(yaml: "rules:\n  - id: slow\n    pattern: '^(a+)+$'\n    literal: 'aaaa'\n", file: "slow.yml")
        let line = String(repeating: "a", count: 40) + "!"
        var failures: [(Int, Int32)] = []
        var matched = false
        let rules = try RuleSet(loader)
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { raw in
            let record = RecordParser.parse(UnsafeRawBufferPointer(raw), lineNumber: 1)
            rules.match(record, { _ in matched = true }, failed: { failures.append(($0, $1)) })
        }
        #expect(!matched)
        #expect(failures.count == 1)
    }
}

@Suite("Rules: lint")
struct RuleLintTests {
    @Test func shippedRulesLintClean() {
        let messages = RuleLinter.lint(TestSupport.shippedRules)
        #expect(messages.isEmpty, "\(messages)")
    }

    @Test func lintNamesFileLineColumnAndOffset() throws {
        var loader = RuleLoader()
        try loader.load(yaml: """
            rules:
              - id: a.rule
                pattern: '^Freeing (?<area>.+ memory'
              - id: a.rule
                pattern: "^x\\\\d"
              - id: slow.rule
                pattern: '^\\d+$'
              - id: portable.rule
                pattern: '^(?<=x)abcd'
            """, file: "lint.yml")
        let messages = RuleLinter.lint(loader, portable: true).map(\.description)
        // The pattern starts at column 15 (after the quote); PCRE2 reports the error at offset 26, the end of the pattern.
        #expect(messages.contains { $0.hasPrefix("lint.yml:3:41: error: a.rule: pattern does not compile") && $0.contains("offset 26") })
        #expect(messages.contains { $0.hasPrefix("lint.yml:5:") && $0.contains("duplicate rule id") })
        #expect(messages.contains { $0.hasPrefix("lint.yml:5:") && $0.contains("double-quoted") })
        #expect(messages.contains { $0.hasPrefix("lint.yml:7:") && $0.contains("prefilter") })
        #expect(messages.contains { $0.hasPrefix("lint.yml:9:") && $0.contains("lookbehind") })
    }
}
