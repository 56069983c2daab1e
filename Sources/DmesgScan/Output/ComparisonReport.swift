/// `dmesgscan diff` output: text in sections by change, the `dmesgscan-diff/1` JSON document
/// (schema/diff.schema.json), and JUnit with a testcase per item (regressions fail).
public struct ComparisonReport {
    public static let schema = "dmesgscan-diff/1"

    public var comparison: RunComparison
    public var toolVersion: String
    public var knownIssues: KnownIssueReport?
    public var verbose = false

    public init(_ comparison: RunComparison, toolVersion: String, knownIssues: KnownIssueReport? = nil) {
        self.comparison = comparison
        self.toolVersion = toolVersion
        self.knownIssues = knownIssues
    }

    static let sections: [(ComparedItem.Change, String)] = [
        (.new, "New"), (.moreOften, "More often"), (.lessOften, "Less often"), (.gone, "Gone"), (.unchanged, "Unchanged"),
    ]

    public var text: String {
        let c = comparison
        func side(_ name: String, _ s: SideTally) -> String {
            let errors = s.inputErrors > 0 ? ", \(s.inputErrors) with input errors" : ""
            func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
            return "\(name): \(count(s.boots, "boot")) in \(count(s.inputs, "input"))\(errors) (\(s.sources.map(TextReport.escapeControls).joined(separator: ", ")))"
        }
        var out = side("baseline", c.baseline) + "\n" + side("new", c.new) + "\n"
        for (change, heading) in ComparisonReport.sections {
            let items = c.items(change)
            if change == .unchanged && !verbose {
                out += "\nUnchanged: \(items.count) item\(items.count == 1 ? "" : "s") (--verbose lists them)\n"
                continue
            }
            out += "\n\(heading) (\(items.count)):\n"
            for item in items.sorted(by: { ($0.regression ? 0 : 1, $1.level, $0.key) < ($1.regression ? 0 : 1, $0.level, $1.key) }) {
                out += line(item)
            }
        }
        let regressions = c.regressions.count
        out += "\n" + (regressions == 0
            ? "No regression at or above \(c.failLevel.rawValue).\n"
            : "\(regressions) regression\(regressions == 1 ? "" : "s") at or above \(c.failLevel.rawValue).\n")
        if let knownIssues {
            for notice in knownIssues.notices { out += "note: \(TextReport.escapeControls(notice))\n" }
        }
        return out
    }

    private func line(_ item: ComparedItem) -> String {
        let mark = item.regression ? "REGRESSION " : item.known != nil ? "KNOWN " : item.possiblyFlaky ? "flaky? " : ""
        var out = "  \(mark)[\(item.level.rawValue)] \(TextReport.escapeControls(item.key.label))\n"
        out += "      \(TextReport.escapeControls(item.reason))\n"
        let shown = item.new.boots > 0 ? item.new : item.baseline
        let kernels = shown.kernels.sorted().prefix(5).map(TextReport.escapeControls).joined(separator: ", ")
        out += "      first in \(TextReport.escapeControls(shown.firstInput))" + (kernels.isEmpty ? "" : "; kernels \(kernels)")
            + (shown.kernels.count > 5 ? " and \(shown.kernels.count - 5) more" : "")
        if item.new.occurrences > item.new.boots {
            out += "; printed \(item.new.occurrences) times in \(item.new.boots) boot\(item.new.boots == 1 ? "" : "s")"
        }
        out += "\n"
        if let known = item.known { out += "      \(TextReport.escapeControls(known.summary))\n" }
        return out
    }

    public var json: JSONValue {
        let c = comparison
        func side(_ s: SideTally) -> JSONValue {
            .object([
                ("sources", .array(s.sources.map { .string($0) })), ("inputs", .int(s.inputs)), ("input_errors", .int(s.inputErrors)),
                ("boots", .int(s.boots)),
            ])
        }
        func tally(_ t: ItemTally) -> JSONValue {
            .object([
                ("boots", .int(t.boots)), ("occurrences", .int(t.occurrences)),
                ("first_input", t.firstInput.isEmpty ? .null : .string(t.firstInput)),
                ("kernels", .array(t.kernels.sorted().map { .string($0) })),
            ])
        }
        var counts: [(String, JSONValue)] = ComparedItem.Change.allCases.map { change in (change.rawValue, .int(c.items(change).count)) }
        counts.append(("regressions", .int(c.regressions.count)))
        counts.append(("possibly_flaky", .int(c.items.filter(\.possiblyFlaky).count)))
        counts.append(("known", .int(c.items.filter { $0.known != nil }.count)))
        var pairs: [(String, JSONValue)] = [
            ("schema", .string(ComparisonReport.schema)),
            ("tool", .object([("name", .string("dmesgscan")), ("version", .string(toolVersion))])),
            ("alpha", .double(c.alpha)), ("fail_level", .string(c.failLevel.rawValue)),
            ("baseline", side(c.baseline)), ("new", side(c.new)),
            ("items", .array(c.items.map { item in
                .object([
                    ("kind", .string(item.key.kind.rawValue)), ("name", .string(item.key.name)),
                    ("change", .string(item.change.rawValue)), ("level", .string(item.level.rawValue)),
                    ("regression", .bool(item.regression)), ("supported", .bool(item.supported)),
                    ("possibly_flaky", .bool(item.possiblyFlaky)),
                    ("p_value", item.pValue.map { .double($0) } ?? .null), ("reason", .string(item.reason)),
                    ("known", item.known.map { k in
                        .object([("entry", .string(k.entry)), ("reason", k.reason.map { .string($0) } ?? .null), ("link", k.link.map { .string($0) } ?? .null)])
                    } ?? .null),
                    ("baseline", tally(item.baseline)), ("new", tally(item.new)),
                ])
            })),
            ("totals", .object(counts)),
        ]
        if let knownIssues { pairs.append(("known_issues", knownIssues.json)) }
        return .object(pairs)
    }

    /// A testsuite per change class, a testcase per item: regressions fail, known items are
    /// skipped with their reason, the rest pass with the counts as output.
    public var junit: String {
        let c = comparison
        var suites = ""
        var tests = 0, failures = 0, skipped = 0
        for (change, heading) in ComparisonReport.sections {
            let items = c.items(change)
            let failed = items.filter(\.regression).count
            let known = items.filter { $0.known != nil && !$0.regression }.count
            tests += items.count
            failures += failed
            skipped += known
            suites += "  <testsuite name=\"dmesgscan diff: \(escape(heading.lowercased()))\" tests=\"\(items.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"\(known)\" time=\"0\">\n"
            for item in items {
                let name = escape(item.key.label)
                let detail = escape("\(item.reason); first in \((item.new.boots > 0 ? item.new : item.baseline).firstInput)")
                suites += "    <testcase classname=\"dmesgscan.diff.\(item.key.kind.rawValue)\" name=\"\(name)\" time=\"0\">"
                if item.regression {
                    suites += "<failure message=\"\(escape(change.rawValue + ": " + item.key.label))\" type=\"\(item.level.rawValue)\">\(detail)</failure>"
                } else if let k = item.known {
                    suites += "<skipped message=\"\(escape(k.summary))\"/>"
                } else {
                    suites += "<system-out>\(detail)</system-out>"
                }
                suites += "</testcase>\n"
            }
            suites += "  </testsuite>\n"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"dmesgscan diff\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" time=\"0\">\n"
            + suites + "</testsuites>\n"
    }
}
