import DmesgScan
import Foundation
import Testing

/// Each output format, checked with the tools that read it: jsonschema for the summary and
/// the NDJSON events, junitparser for JUnit, prometheus_client for the textfile, kcidb-io
/// for KCIDB. A missing Python module skips its check with a notice (`make test` installs them).
@Suite("CLI: output formats, merge, shards, live streams")
struct OutputFormatTests {
    let cli = CommandLineTests()
    var samples: [String] {
        ["pass-7.1-caller-id.log", "refused-7.0-next-util-linux.log", "serial-console-three-boots.log", "journal-export.jsonl",
         "two-boots-6.12-buddy-fault.log.gz", "syslog-and-dmesg-T.log"].map { TestSupport.samplesDirectory + "/" + $0 }
    }

    /// Runs a Python check on `input`; returns nil (skip) when a module is missing.
    func python(_ script: String, input: String, modules: [String]) throws -> (Int32, String)? {
        let probe = try cli.runProgram("/usr/bin/env", ["python3", "-c", "import " + modules.joined(separator: ", ")])
        guard probe.status == 0 else {
            print("notice: python3 modules \(modules.joined(separator: ", ")) missing; skipping this check")
            return nil
        }
        let run = try cli.runProgram("/usr/bin/env", ["python3", "-c", script], stdin: input)
        return (run.status, run.stdout + run.stderr)
    }

    @Test func summaryAndEventsMatchTheirSchemas() throws {
        let summary = try cli.run(["--format", "json"] + samples)
        let events = try cli.run(["--format", "ndjson"] + samples)
        let schemaDir = TestSupport.packageRoot + "/schema"
        let check = """
            import json, sys, jsonschema
            kind, path = sys.argv[1], sys.argv[2]
            schema = json.load(open(path))
            jsonschema.Draft202012Validator.check_schema(schema)
            data = sys.stdin.read()
            docs = [json.loads(l) for l in data.splitlines() if l.strip()] if kind == "ndjson" else [json.loads(data)]
            for d in docs: jsonschema.validate(d, schema)
            print(len(docs))
            """
        for (kind, output, schema) in [("json", summary.stdout, "summary"), ("ndjson", events.stdout, "event")] {
            let run = try cli.runProgram("/usr/bin/env", ["python3", "-c", "import jsonschema"])
            if run.status != 0 { print("notice: jsonschema missing; skipping"); return }
            let result = try cli.runProgram("/usr/bin/env", ["python3", "-c", check, kind, "\(schemaDir)/\(schema).schema.json"], stdin: output)
            #expect(result.status == 0, "\(kind): \(result.stderr)")
        }
        #expect(events.stdout.split(separator: "\n").contains { $0.contains("\"@timestamp\":\"2026-") })
    }

    @Test func junitIsReadByJunitparser() throws {
        let junit = try cli.run(["--format", "junit"] + samples).stdout
        let script = """
            import sys
            from junitparser import JUnitXml, Failure, Skipped
            xml = JUnitXml.fromstring(sys.stdin.read())
            names, failures = set(), 0
            for suite in xml:
                seen = set()
                for case in suite:
                    assert case.name not in seen, "duplicate testcase name " + case.name
                    seen.add(case.name)
                    if any(isinstance(r, Failure) for r in case.result): failures += 1
                names.add(suite.name)
            assert any("boot 2" in n for n in names), names
            print(len(names), failures)
            """
        guard let (status, out) = try python(script, input: junit, modules: ["junitparser"]) else { return }
        #expect(status == 0, "\(out)")
        #expect(junit.contains("<failure message=\"WARNING in __free_reserved_area\""))
        // xunit2 (the default) keeps to the strict schema; classnames carry no extension.
        #expect(!junit.contains(" file=\"") && !junit.contains("<testsuites name=\"dmesgscan\" tests=\"0\" skipped"))
        #expect(!junit.split(separator: "\n").first { $0.hasPrefix("<testsuites") }!.contains("skipped="))
        #expect(!junit.contains(".log\" name=") && !junit.contains(".gz\" name="))
        let legacy = try cli.run(["--format", "junit", "--junit-family", "legacy"] + samples).stdout
        #expect(legacy.contains(" file=\"") && legacy.split(separator: "\n").first { $0.hasPrefix("<testsuites") }!.contains("skipped="))
        // An input that is no kernel log is an error, never green.
        let readme = TestSupport.temporaryFile("README", Array("not a kernel log\n".utf8))
        let mixed = try cli.run(["--format", "junit", readme, samples[0]]).stdout
        #expect(mixed.contains("<error message=\"none of its 1 lines is a kernel log record\" type=\"input\"/>"))
    }

    @Test func prometheusTextfileParses() throws {
        let prom = try cli.run(["--format", "prom", "--label", "host=board7", "--label", "lab=a"] + samples).stdout
        let script = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families
            fams = {f.name: f for f in text_string_to_metric_families(sys.stdin.read())}
            assert set(fams) >= {"dmesgscan_findings", "dmesgscan_invariant_verdicts", "dmesgscan_inputs", "dmesgscan_boots",
                                 "dmesgscan_last_scan_timestamp_seconds", "dmesgscan_build_info"}, fams.keys()
            assert all(f.type == "gauge" for f in fams.values()), [(f.name, f.type) for f in fams.values()]
            assert all(s.labels.get("host") == "board7" and s.labels.get("lab") == "a" for f in fams.values() for s in f.samples)
            ok = [s for s in fams["dmesgscan_inputs"].samples if s.labels["status"] == "ok"][0]
            assert ok.value == 6, ok
            assert fams["dmesgscan_last_scan_timestamp_seconds"].samples[0].value == 1767225600
            verdicts = {(s.labels["invariant"], s.labels["verdict"], s.labels["enforced"]): s.value for s in fams["dmesgscan_invariant_verdicts"].samples}
            inv = "x86.smp-locks-after-page-alloc-init-late"
            # A baseline for every verdict; expected (unenforced) failures apart from enforced ones.
            assert all((inv, v, e) in verdicts for v in ["pass", "fail", "unknown", "not_applicable"] for e in ["true", "false"])
            assert verdicts[(inv, "fail", "true")] >= 1 and verdicts[(inv, "fail", "false")] >= 1, verdicts
            assert any(s.value == 0 for s in fams["dmesgscan_findings"].samples)
            print("ok")
            """
        guard let (status, out) = try python(script, input: prom, modules: ["prometheus_client"]) else { return }
        #expect(status == 0, "\(out)")
        // Without --label two runs' files would collide in one textfile directory: a label
        // that is not a Prometheus name is refused.
        #expect(try cli.run(["--format", "prom", "--label", "bad-name=x"] + samples).status == 64)
    }

    /// The NDJSON contract consumers rely on: ECS names and types, one type per column for
    /// DuckDB, alerts only for what needs a person.
    @Test func ndjsonKeepsItsColumnsTypedForDuckDBAndElasticsearch() throws {
        let events = try cli.run(["--format", "ndjson", "--label", "lab=a"] + samples).stdout
        let script = """
            import sys, json, duckdb
            lines = [json.loads(l) for l in open(sys.argv[1])]
            assert all("@timestamp" in l and l["event"]["created"] == "2026-01-01T00:00:00.000000Z" for l in lines)
            assert any(l["@timestamp"] != l["event"]["created"] for l in lines), "no wall-clock timestamp used"
            assert {l["log"]["level"] for l in lines} <= {"debug", "info", "notice", "warning", "error", "critical"}
            inv = [l for l in lines if l.get("rule", {}).get("category") == "invariant" and l["kernel"]["verdict"] == "fail"]
            assert any(not l["kernel"]["enforced"] for l in inv) and any(l["kernel"]["enforced"] for l in inv)
            assert all((l["event"]["kind"] == "alert") == l["kernel"]["enforced"] for l in inv)
            assert all(isinstance(l["process"]["pid"], int) for l in lines if "process" in l and "pid" in l["process"])
            assert any("process" in l for l in lines) and any("error" in l for l in lines)
            assert all(l["labels"] == {"lab": "a"} for l in lines)
            assert all(l["host"]["os"]["kernel"] for l in lines if "host" in l and "os" in l["host"])
            con = duckdb.connect()
            rel = con.execute("select * from read_json_auto(?, format='newline_delimited')", [sys.argv[1]])
            types = dict(zip([d[0] for d in rel.description], [str(d[1]) for d in rel.description]))
            assert types["severity_number"] in ("BIGINT", "INTEGER", "UBIGINT"), types
            rows = con.execute("select count(*), count(distinct event.kind) from read_json_auto(?, format='newline_delimited')", [sys.argv[1]]).fetchone()
            assert rows[0] == len(lines), rows
            print(len(lines))
            """
        let path = TestSupport.temporaryFile("events.ndjson", Array(events.utf8))
        let run = try cli.runProgram("/usr/bin/env", ["python3", "-c", "import duckdb"])
        guard run.status == 0 else {
            print("notice: python3 duckdb missing; skipping the DuckDB check of NDJSON")
            return
        }
        let result = try cli.runProgram("/usr/bin/env", ["python3", "-c", script, path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    }

    @Test func kcidbValidatesAgainstTheKcidbIoSchema() throws {
        let kcidb = try cli.run(["--format", "kcidb", "--kcidb-origin", "mylab", "--kcidb-test-id", "mylab:boot-42"] + samples).stdout
        let script = """
            import sys, json, kcidb_io
            data = json.loads(sys.stdin.read())
            kcidb_io.schema.V5_3.validate(data)
            assert all(i["id"].startswith("mylab:") for i in data["issues"] + data["incidents"])
            assert any(i["id"] == "mylab:invariant.x86.smp-locks-after-page-alloc-init-late" for i in data["issues"])
            print(len(data["issues"]), len(data["incidents"]))
            """
        guard let (status, out) = try python(script, input: kcidb, modules: ["kcidb_io"]) else { return }
        #expect(status == 0, "\(out)")
        #expect(try cli.run(["--format", "kcidb", "--kcidb-origin", "Bad-Origin"] + samples).status == 64)
        #expect(try cli.run(["--format", "kcidb", "--kcidb-test-id", "nocolon"] + samples).status == 64)
        #expect(try cli.run(["--format", "kcidb"] + samples).stderr.contains("without --kcidb-test-id"))
        // Two tests of one log: incident ids of their own. One incident per boot and issue.
        func incidents(_ test: String, _ log: String) throws -> [[String: Any]] {
            let out = try cli.run(["--format", "kcidb", "--kcidb-origin", "mylab", "--kcidb-test-id", test, log]).stdout
            return (try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any])["incidents"] as! [[String: Any]]
        }
        let repeated = (0..<5).map { "[    1.00000\($0)] WARNING: CPU: 0 PID: 1 at drivers/x.c:10 foo_probe+0x1/0x2\n[    1.00000\($0)] ---[ end trace 0000000000000000 ]---\n" }.joined()
        let log = TestSupport.temporaryFile("repeated.log", Array(("[    0.000000] Linux version 6.12.0 (a@b) #1 SMP\n" + repeated).utf8))
        let a = try incidents("mylab:a", log), b = try incidents("mylab:b", log)
        #expect(a.count == 1 && ((a.first?["misc"] as? [String: Any])?["count"] as? Int) == 5, "\(a)")
        #expect(Set(a.map { $0["id"] as! String }).isDisjoint(with: b.map { $0["id"] as! String }))
    }

    /// SARIF 2.1.0 as sarif-pydantic reads it: a result per finding and failed enforced
    /// invariant, each with its rule, level, line range and fingerprint.
    @Test func sarifValidatesWithSarifPydantic() throws {
        let sarif = try cli.run(["--format", "sarif"] + samples).stdout
        let script = """
            import sys, json, sarif_pydantic
            data = json.loads(sys.stdin.read())
            doc = sarif_pydantic.Sarif.model_validate(data)
            run = data["runs"][0]
            ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
            assert run["results"] and all(r["ruleId"] in ids for r in run["results"])
            assert all(r["level"] in ("error", "warning", "note") for r in run["results"])
            region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
            assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
            assert any(r["ruleId"] == "x86.smp-locks-after-page-alloc-init-late" for r in run["results"])
            print(len(run["results"]))
            """
        guard let (status, out) = try python(script, input: sarif, modules: ["sarif_pydantic"]) else { return }
        #expect(status == 0, "\(out)")
    }

    /// TAP 14 as tap.py parses it: a point per verdict and title, YAML diagnostics that load,
    /// expected failures as TODO, undecided verdicts as SKIP, and the plan matching.
    @Test func tapParsesWithTapPy() throws {
        let tap = try cli.run(["--format", "tap"] + samples).stdout
        let script = """
            import sys
            from tap.parser import Parser
            lines = list(Parser().parse_text(sys.stdin.read()))
            kinds = {l.category for l in lines}
            assert kinds == {"version", "plan", "test"}, kinds
            tests = [l for l in lines if l.category == "test"]
            plan = [l for l in lines if l.category == "plan"][0]
            assert plan.expected_tests == len(tests), (plan.expected_tests, len(tests))
            failed = [t for t in tests if not t.ok and not t.todo]
            assert failed and all(t.yaml_block and "message" in t.yaml_block for t in failed)
            assert any(t.todo for t in tests) and any(t.skip for t in tests)
            print(len(tests))
            """
        guard let (status, out) = try python(script, input: tap, modules: ["tap", "yaml"]) else { return }
        #expect(status == 0, "\(out)")
    }

    /// GitHub workflow commands: one per finding and failed invariant, values escaped.
    @Test func githubAnnotationsAreWorkflowCommands() throws {
        let out = try cli.run(["--format", "github"] + samples).stdout
        let lines = out.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("::error file=") || $0.hasPrefix("::warning file=") || $0.hasPrefix("::notice file=") })
        #expect(lines.contains { $0.contains("line=8,endLine=28,title=WARNING in __free_reserved_area::") })
        #expect(GitHubWriter.escape("a:b,c%\nd", property: true) == "a%3Ab%2Cc%25%0Ad")
        #expect(GitHubWriter.escape("a:b,c", property: false) == "a:b,c")
    }

    @Test func threeShardsMergedEqualOneRun() throws {
        let dir = TestSupport.scratchRoot + "/shards-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var summaries: [String] = []
        for shard in 1...3 {
            let path = "\(dir)/shard\(shard).json"
            let run = try cli.run(["--format", "json", "--shard", "\(shard)/3", "-o", path] + samples)
            #expect(run.status <= 1, "\(run.stderr)")
            summaries.append(path)
        }
        let whole = "\(dir)/whole.json"
        _ = try cli.run(["--format", "json", "-o", whole] + samples)
        let merged = try cli.run(["merge"] + summaries.reversed())
        let normalised = try cli.run(["merge", whole])
        #expect(merged.status == 0 && normalised.status == 0)
        #expect(merged.stdout == normalised.stdout, "merged shards differ from the single run")
        #expect(!merged.stdout.isEmpty)
        // Another rule set is refused.
        let rule = TestSupport.temporaryFile("extra.yml", Array("rules:\n  - {id: extra.rule, pattern: '^abcdefgh'}\n".utf8))
        let other = "\(dir)/other.json"
        _ = try cli.run(["--format", "json", "--rules", rule, "-o", other, samples[0]])
        let refused = try cli.run(["merge", summaries[0], other])
        #expect(refused.status == 2 && refused.stderr.contains("other rules"))
    }

    /// One input in two shards: whichever shard its path hashes to, the other one picks nothing,
    /// and an empty share of a batch is a clean run with an empty summary, not "no inputs".
    @Test func aShardThatPicksNothingIsAnEmptyShare() throws {
        var statuses: [Int32] = []
        var inputsListed = 0
        for shard in 1...2 {
            let run = try cli.run(["--format", "json", "--shard", "\(shard)/2", samples[0]])
            statuses.append(run.status)
            let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            inputsListed += (summary?["inputs"] as? [Any])?.count ?? -100
        }
        #expect(statuses.allSatisfy { $0 <= 1 }, "statuses \(statuses)")
        #expect(inputsListed == 1)
    }

    @Test func outputFileIsWrittenAtomically() throws {
        let dir = TestSupport.scratchRoot + "/o-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let run = try cli.run(["--format", "prom", "-o", dir + "/metrics.prom"] + samples)
        #expect(run.stdout.isEmpty)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(files == ["metrics.prom"])
    }

    /// `dmesg -w | dmesgscan --format ndjson`: a WARN shows up while the pipe is still open,
    /// and a report left open is flushed after the quiet interval.
    @Test func liveStreamShowsFindingsAsTheyHappen() throws {
        let script = """
            import subprocess, sys, select, time
            p = subprocess.Popen([sys.argv[1], "--format", "ndjson"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
            def wait_line(timeout):
                ready, _, _ = select.select([p.stdout], [], [], timeout)
                return p.stdout.readline().decode() if ready else ""
            p.stdin.write(b"[    0.000000] Linux version 6.12.0 (a@b) #1 SMP\\n")
            for l in ["------------[ cut here ]------------", "WARNING: CPU: 0 PID: 1 at drivers/x.c:10 foo_probe+0x1/0x2",
                      "Call Trace:", " foo_probe+0x1/0x2", " do_one_initcall+0x1/0x2", "---[ end trace 0000000000000000 ]---"]:
                p.stdin.write(("[    1.000000] " + l + "\\n").encode())
            start = time.time(); line = wait_line(1.5)
            assert "WARNING in foo_probe" in line, ("no live WARN", line)
            for l in ["BUG: kernel NULL pointer dereference, address: 0000000000000008", "RIP: 0010:bar_read+0x1/0x2", "Call Trace:", " bar_read+0x1/0x2"]:
                p.stdin.write(("[    2.000000] " + l + "\\n").encode())
            line = wait_line(4.0)
            assert "NULL pointer dereference in bar_read" in line, ("open report not flushed", line)
            p.stdin.close(); rest = p.stdout.read().decode(); p.wait()
            assert p.returncode == 1, p.returncode
            print("ok")
            """
        let run = try cli.runProgram("/usr/bin/env", ["python3", "-c", script, CommandLineTests.binary])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
    }

    /// A verdict is sent as soon as it is decided, not at the end of the stream; SIGINT and
    /// SIGTERM end a live stream as its end would (the boot's verdicts and summary written),
    /// with status 130 and 143.
    @Test func liveVerdictsComeAsDecidedAndSignalsFlushTheRest() throws {
        let log = TestSupport.samplesDirectory + "/fail-6.8-deferred.log"
        let script = """
            import subprocess, sys, select, time, signal, json
            lines = open(sys.argv[2], "rb").read().splitlines(keepends=True)
            # Up to the last line the verdict rests on: it is decided there, long before the end.
            whole = json.loads(subprocess.run([sys.argv[1], "--format", "json", sys.argv[2]], capture_output=True).stdout)
            verdict = next(v for v in whole["inputs"][0]["boots"][0]["invariants"] if v["id"] == "x86.smp-locks-after-page-alloc-init-late")
            cut = max(e["line"] for e in verdict["evidence"])
            assert cut < len(lines) - 3, (cut, len(lines))
            for sig, status in [(signal.SIGINT, 130), (signal.SIGTERM, 143)]:
                p = subprocess.Popen([sys.argv[1], "--format", "ndjson"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
                p.stdin.write(b"".join(lines[:cut]))
                ready, _, _ = select.select([p.stdout], [], [], 5.0)
                assert ready, "no live verdict within 5 s"
                first = json.loads(p.stdout.readline())
                assert first["rule"]["id"] == "x86.smp-locks-after-page-alloc-init-late", first
                assert first["kernel"]["verdict"] == "fail" and first["kernel"]["enforced"] is False, first
                time.sleep(0.3)
                p.send_signal(sig)
                rest = [json.loads(l) for l in p.stdout.read().splitlines()]
                p.wait()
                assert p.returncode == status, (sig, p.returncode)
                assert any(l["event"]["kind"] == "state" for l in rest), "no boot summary after the signal"
                ids = [first["rule"]["id"]] + [l["rule"]["id"] for l in rest if "rule" in l]
                assert len(ids) == len(set(ids)), ("a verdict was sent twice", ids)
            print("ok")
            """
        let run = try cli.runProgram("/usr/bin/env", ["python3", "-c", script, CommandLineTests.binary, log])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
    }

    @Test func closedPipeEndsQuietly() throws {
        let big = (0..<20000).map { "[    1.\(String(format: "%06d", $0))] WARNING: CPU: 0 PID: 1 at x.c:\($0) f\($0)+0x1/0x2\n---[ end trace 0000000000000000 ]---\n" }.joined()
        let input = TestSupport.temporaryFile("many.log", Array(big.utf8))
        let run = try cli.runProgram("/bin/bash", ["-c", "DMESGSCAN_RULES=\(TestSupport.rulesDirectory) \(CommandLineTests.binary) --format ndjson \(input) | head -1 > /dev/null; echo ${PIPESTATUS[0]}"])
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(run.stderr.isEmpty)
    }
}
