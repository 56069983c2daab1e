import DmesgScan
import Foundation
import Testing

/// `--known FILE`: what it lists is marked known in every output, read by each format's own
/// consumer, and does not fail the run; stale and expired entries are named; a bad file is an
/// error at its line and column.
@Suite("CLI: known issues")
struct KnownIssueTests {
    let cli = CommandLineTests()
    var refused: String { TestSupport.samplesDirectory + "/refused-7.0-next-util-linux.log" }

    /// The refused free of 7.0-next (a WARN and two enforced failures), all listed.
    func knownFile(extra: String = "") -> String {
        TestSupport.temporaryFile("known.yml", Array("""
            known:
              - title: "WARNING in __free_reserved_area"
                reason: linux-next before the smp_locks fix
                link: https://lore.kernel.org/example
                kernels: ">= 7.0, < 7.1"
              - invariant: mm.free-reserved-area-refused
                reason: same refusal
              - invariant: x86.smp-locks-after-page-alloc-init-late
                match: 'refused to free the SMP alternatives'
            \(extra)
            """.utf8))
    }

    @Test func listedFindingsAndFailuresDoNotFailTheRun() throws {
        #expect(try cli.run([refused]).status == 1)
        let text = try cli.run(["--known", knownFile(), refused])
        #expect(text.status == 0, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("KNOWN WARNING WARNING in __free_reserved_area"))
        #expect(text.stdout.contains("known: linux-next before the smp_locks fix (https://lore.kernel.org/example)"))
        #expect(text.stdout.contains("KNOWN x86.smp-locks-after-page-alloc-init-late"))
        #expect(!text.stdout.contains("FAIL"))
        // Outside the listed kernels, the WARN is not known.
        let other = TestSupport.temporaryFile("known-6.yml", Array(
            (try String(contentsOfFile: knownFile(), encoding: .utf8)).replacingOccurrences(of: ">= 7.0, < 7.1", with: "< 6.0").utf8))
        #expect(try cli.run(["--known", other, refused]).status == 1)
    }

    @Test func staleAndExpiredEntriesAreNamed() throws {
        let file = knownFile(extra: """
              - title: "BUG: nothing prints this"
              - match: 'WARNING in .*'
                expires: 2020-01-01
            """)
        let run = try cli.run(["--format", "json", "--known", file, refused])
        #expect(run.stderr.contains("known.yml:10: known issue matched nothing in this run (stale): title \"BUG: nothing prints this\""), "\(run.stderr)")
        #expect(run.stderr.contains("known.yml:11: known issue expired on 2020-01-01"))
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let known = json["known_issues"] as! [String: Any]
        #expect(known["entries"] as? Int == 5)
        #expect((known["stale"] as! [[String: Any]]).map { $0["subject"] as! String } == ["title \"BUG: nothing prints this\""])
        #expect((known["expired"] as! [[String: Any]]).map { $0["expires"] as! String } == ["2020-01-01"])
        let finding = ((json["inputs"] as! [[String: Any]])[0]["boots"] as! [[String: Any]])[0]["findings"] as! [[String: Any]]
        #expect((finding[0]["known"] as? [String: Any])?["reason"] as? String == "linux-next before the smp_locks fix")
        let totals = (json["totals"] as! [String: Any])["findings"] as! [String: [String: Any]]
        #expect(totals["WARNING in __free_reserved_area"]?["known"] as? Int == 1)
    }

    @Test func aBadFileIsAnErrorAtItsLineAndColumn() throws {
        for (body, message) in [
            ("known:\n  - match: 'foo(('\n", "known.yml:2:18: bad regex: missing closing parenthesis"),
            ("known:\n  - title: x\n    kernels: '6.1'\n", "known.yml:3:14: `kernels:`"),
            ("known:\n  - reason: nothing to match\n", "known.yml:2:5: an entry needs"),
            ("known:\n  - title: x\n    expires: soon\n", "known.yml:3:14: `expires:` takes a date"),
            ("known:\n  - titel: x\n", "known.yml:2:5: unknown key `titel`"),
            ("known:\n  - title: [x\n", "known.yml:3:1: YAML"),
        ] {
            let file = TestSupport.temporaryFile("known.yml", Array(body.utf8))
            let run = try cli.run(["--known", file, refused])
            #expect(run.status == 2 && run.stderr.contains(message), "\(body): \(run.stderr)")
        }
    }

    /// Each format says "known" in its own terms, and its consumer still reads it.
    @Test func everyFormatMarksWhatIsKnown() throws {
        let file = knownFile()
        func out(_ format: String) throws -> String {
            let run = try cli.run(["--format", format, "--known", file, refused])
            #expect(run.status == 0, "\(format): \(run.stderr)")
            return run.stdout
        }
        let schemaDir = TestSupport.packageRoot + "/schema"
        let validate = """
            import json, sys, jsonschema
            kind, path = sys.argv[1], sys.argv[2]
            data = sys.stdin.read()
            docs = [json.loads(l) for l in data.splitlines() if l.strip()] if kind == "ndjson" else [json.loads(data)]
            for d in docs: jsonschema.validate(d, json.load(open(path)))
            if kind == "ndjson":
                listed = [d for d in docs if d.get("tags") == ["known"]]
                assert len(listed) == 3 and all(d["event"]["kind"] == "event" and d["kernel"]["known"]["entry"] for d in listed), listed
                assert not [d for d in docs if d["event"]["kind"] == "alert"]
            """
        for (kind, schema) in [("json", "summary"), ("ndjson", "event")] {
            guard let (status, output) = try python3(["-c", validate, kind, "\(schemaDir)/\(schema).schema.json"], input: try out(kind), modules: ["jsonschema"]) else { break }
            #expect(status == 0, "\(kind): \(output)")
        }
        let sarif = """
            import json, sys, sarif_pydantic
            data = json.loads(sys.stdin.read())
            sarif_pydantic.Sarif.model_validate(data)
            results = data["runs"][0]["results"]
            assert results and all(r["suppressions"][0]["kind"] == "external" for r in results), results
            """
        if let (status, output) = try python3(["-c", sarif], input: try out("sarif"), modules: ["sarif_pydantic"]) { #expect(status == 0, "\(output)") }
        let tap = """
            import sys
            from tap.parser import Parser
            tests = [l for l in Parser().parse_text(sys.stdin.read()) if l.category == "test"]
            todo = [t for t in tests if t.todo]
            assert len(todo) == 3 and all(not t.ok and "known:" in t.directive.text for t in todo), [t.directive.text for t in todo]
            assert not [t for t in tests if not t.ok and not t.todo]
            """
        if let (status, output) = try python3(["-c", tap], input: try out("tap"), modules: ["tap", "yaml"]) { #expect(status == 0, "\(output)") }
        let junit = """
            import sys
            from junitparser import JUnitXml, Skipped, Failure
            xml = JUnitXml.fromstring(sys.stdin.read().encode())
            cases = [c for s in xml for c in s]
            skipped = [c for c in cases if any(isinstance(r, Skipped) and "known:" in (r.message or "") for r in c.result)]
            assert len(skipped) == 3 and not [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
            """
        if let (status, output) = try python3(["-c", junit], input: try out("junit"), modules: ["junitparser"]) { #expect(status == 0, "\(output)") }
        let github = try out("github").split(separator: "\n")
        #expect(github.count == 3 && github.allSatisfy { $0.hasPrefix("::notice ") && $0.contains("known: ") })
        let prom = try out("prom")
        #expect(prom.contains("dmesgscan_known_findings{rule=\"report.warning\",level=\"warning\"} 1") || prom.contains("dmesgscan_known_findings{"), "\(prom)")
        #expect(prom.contains("dmesgscan_known_issue_entries{state=\"in_use\"} 3"))
        #expect(try out("kcidb").contains("\"known\":{\"entry\":"))
    }

    func python3(_ arguments: [String], input: String, modules: [String]) throws -> (Int32, String)? {
        let probe = try cli.runProgram("/usr/bin/env", ["python3", "-c", "import " + modules.joined(separator: ", ")])
        guard probe.status == 0 else {
            print("notice: python3 modules \(modules.joined(separator: ", ")) missing; skipping this check")
            return nil
        }
        let run = try cli.runProgram("/usr/bin/env", ["python3"] + arguments, stdin: input)
        return (run.status, run.stdout + run.stderr)
    }
}
