import DmesgScan
import Foundation
import Testing

/// `dmesgscan diff` on real logs of the corpus: crash logs added to a set of boot logs are
/// named as new titles, the same side twice is clean, summaries stand in for logs, a
/// known-issues file turns regressions into known items, and a 1-in-20 title is not a
/// regression. The JSON validates against schema/diff.schema.json; junitparser reads JUnit.
@Suite("CLI: diff against a baseline")
struct DiffTests {
    let cli = CommandLineTests()
    static let mail = TestSupport.corpusDirectory + "/mail"
    static var baseline: String { mail + "/boot-x86/linux-acpi" }
    static var crashes: [String] { [mail + "/crash/linux-pm", mail + "/crash/linux-efi"] }

    var corpusPresent: Bool {
        let present = FileManager.default.fileExists(atPath: DiffTests.baseline)
        if !present { print("notice: corpus absent at \(TestSupport.corpusDirectory); skipping the diff corpus tests (set DMESGSCAN_CORPUS)") }
        return present
    }

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// Titles of a scan's totals, at every level.
    func titles(_ paths: [String]) throws -> Set<String> {
        let run = try cli.run(["--format", "json"] + paths)
        let totals = try json(run.stdout)["totals"] as! [String: Any]
        return Set((totals["findings"] as! [String: Any]).keys)
    }

    func diff(_ arguments: [String]) throws -> (status: Int32, items: [[String: Any]], document: [String: Any], stderr: String) {
        let run = try cli.run(["diff", "--format", "json"] + arguments)
        let document = try json(run.stdout)
        return (run.status, document["items"] as! [[String: Any]], document, run.stderr)
    }

    func names(_ items: [[String: Any]], _ change: String, kind: String = "title") -> Set<String> {
        Set(items.filter { $0["change"] as? String == change && $0["kind"] as? String == kind }.map { $0["name"] as! String })
    }

    var sides: [String] { ["--baseline", DiffTests.baseline, "--new", DiffTests.baseline] + DiffTests.crashes.flatMap { ["--new", $0] } }

    @Test func crashLogsAddedToBootLogsAreExactlyTheNewTitles() throws {
        guard corpusPresent else { return }
        let added = try titles(DiffTests.crashes).subtracting(try titles([DiffTests.baseline]))
        #expect(added.count >= 5, "\(added)")
        let result = try diff(sides)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(names(result.items, "new") == added)
        // Each added title at warning or above is a regression; nothing else is.
        for item in result.items {
            let isAdded = item["change"] as? String == "new"
            let level = Level(rawValue: item["level"] as! String)!
            #expect((item["regression"] as! Bool) == (isAdded && level >= .warning), "\(item)")
        }
        let text = try cli.run(["diff"] + sides).stdout
        #expect(text.contains("New (\(result.items.filter { $0["change"] as? String == "new" }.count)):"))
        #expect(added.allSatisfy { text.contains($0) })
    }

    @Test func theSameSideTwiceIsClean() throws {
        guard corpusPresent else { return }
        let result = try diff([DiffTests.baseline, DiffTests.baseline])
        #expect(result.status == 0)
        #expect(!result.items.isEmpty && result.items.allSatisfy { $0["change"] as? String == "unchanged" })
    }

    @Test func summariesStandInForTheirLogs() throws {
        guard corpusPresent else { return }
        let dir = TestSupport.scratchRoot + "/diff-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = try cli.run(["--format", "json", "-o", dir + "/base.json", DiffTests.baseline])
        _ = try cli.run(["--format", "json", "--pretty", "-o", dir + "/new.json", DiffTests.baseline] + DiffTests.crashes)
        let fromLogs = try diff(sides)
        let fromSummaries = try diff([dir + "/base.json", dir + "/new.json"])
        #expect(fromSummaries.status == 1)
        func comparable(_ items: [[String: Any]]) -> [String] {
            items.map { "\($0["kind"]!) \($0["name"]!) \($0["change"]!) \($0["regression"]!) \(($0["new"] as! [String: Any])["boots"]!)" }.sorted()
        }
        #expect(comparable(fromSummaries.items) == comparable(fromLogs.items))
        // A summary on one side and logs on the other pair their inputs all the same.
        let mixed = try diff(["--baseline", dir + "/base.json", "--new", DiffTests.baseline] + DiffTests.crashes.flatMap { ["--new", $0] })
        #expect(comparable(mixed.items) == comparable(fromLogs.items))
    }

    @Test func knownIssuesTurnTheAddedTitlesIntoKnownItems() throws {
        guard corpusPresent else { return }
        let added = try titles(DiffTests.crashes).subtracting(try titles([DiffTests.baseline]))
        let entries = added.sorted().map { "  - title: \"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"\n    reason: seen on the crash lists" }
        let file = TestSupport.temporaryFile("known.yml", Array(("known:\n" + entries.joined(separator: "\n") + "\n  - match: 'never printed by anything'\n").utf8))
        let result = try diff(["--known", file] + sides)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.items.filter { $0["change"] as? String == "new" }.allSatisfy { !($0["known"] is NSNull) && !($0["regression"] as! Bool) })
        #expect(result.stderr.contains("matched nothing in this run (stale): titles matching /never printed by anything/"))
        let text = try cli.run(["diff", "--known", file] + sides)
        #expect(text.status == 0 && text.stdout.contains("KNOWN [") && text.stdout.contains("known: seen on the crash lists"))
    }

    /// Twenty boots a side, with the same names: a WARN in one new boot could be chance, in
    /// seven it is not.
    @Test func aOneInTwentyTitleIsFlakyAndSevenInTwentyIsARegression() throws {
        let clean = String(decoding: TestSupport.readSample("pass-7.1-caller-id.log"), as: UTF8.self)
        let warn = """
            [    1.300000][    T1] ------------[ cut here ]------------
            [    1.300001][    T1] WARNING: CPU: 0 PID: 1 at drivers/gpu/drm/foo/foo_drv.c:812 foo_probe+0x1c/0x60
            [    1.300002][    T1] Call Trace:
            [    1.300003][    T1]  <TASK>
            [    1.300004][    T1]  foo_probe+0x1c/0x60
            [    1.300005][    T1]  really_probe+0xde/0x380
            [    1.300006][    T1]  </TASK>
            [    1.300007][    T1] ---[ end trace 0000000000000000 ]---

            """
        func run(withWarnings count: Int) throws -> (Int32, [[String: Any]]) {
            let dir = TestSupport.scratchRoot + "/flaky-\(UUID().uuidString)"
            for side in ["old", "new"] { try FileManager.default.createDirectory(atPath: "\(dir)/\(side)", withIntermediateDirectories: true) }
            for index in 0..<20 {
                let name = String(format: "board%02d.log", index)
                try clean.write(toFile: "\(dir)/old/\(name)", atomically: true, encoding: .utf8)
                try (clean + (index < count ? warn : "")).write(toFile: "\(dir)/new/\(name)", atomically: true, encoding: .utf8)
            }
            let result = try diff(["\(dir)/old", "\(dir)/new"])
            return (result.status, result.items.filter { $0["name"] as? String == "WARNING in foo_probe" })
        }
        let (flakyStatus, flaky) = try run(withWarnings: 1)
        #expect(flakyStatus == 0)
        #expect(flaky.count == 1 && flaky[0]["possibly_flaky"] as? Bool == true && flaky[0]["regression"] as? Bool == false)
        let (status, regression) = try run(withWarnings: 7)
        #expect(status == 1)
        #expect(regression.count == 1 && regression[0]["regression"] as? Bool == true && (regression[0]["p_value"] as! Double) < 0.01)
    }

    /// Per boot, an invariant that passed and now fails is a regression (one log each side).
    @Test func anInvariantThatPassedAndNowFailsIsARegression() throws {
        let pass = TestSupport.samplesDirectory + "/pass-7.1-caller-id.log"
        let refused = TestSupport.samplesDirectory + "/refused-7.0-next-util-linux.log"
        let result = try diff([pass, refused])
        #expect(result.status == 1)
        #expect(names(result.items, "new", kind: "invariant").contains("x86.smp-locks-after-page-alloc-init-late"))
        #expect(try diff([refused, pass]).status == 0)
        #expect(try cli.run(["diff", pass, "/nonexistent/log"]).status == 2)
        #expect(try cli.run(["diff", pass]).status == 64)
    }

    @Test func jsonMatchesItsSchemaAndJUnitParses() throws {
        guard corpusPresent else { return }
        let document = try cli.run(["diff", "--format", "json"] + sides).stdout
        let schema = TestSupport.packageRoot + "/schema/diff.schema.json"
        let validate = "import json, sys, jsonschema; s = json.load(open(sys.argv[1])); jsonschema.Draft202012Validator.check_schema(s); jsonschema.validate(json.loads(sys.stdin.read()), s)"
        if try cli.runProgram("/usr/bin/env", ["python3", "-c", "import jsonschema"]).status == 0 {
            let run = try cli.runProgram("/usr/bin/env", ["python3", "-c", validate, schema], stdin: document)
            #expect(run.status == 0, "\(run.stderr)")
        } else {
            print("notice: jsonschema missing; skipping the diff schema check")
        }
        let regressions = (try json(document)["totals"] as! [String: Any])["regressions"] as! Int
        let junit = try cli.run(["diff", "--format", "junit"] + sides).stdout
        let count = "import sys; from junitparser import JUnitXml; x = JUnitXml.fromstring(sys.stdin.read().encode()); print(sum(s.failures for s in x))"
        if try cli.runProgram("/usr/bin/env", ["python3", "-c", "import junitparser"]).status == 0 {
            let run = try cli.runProgram("/usr/bin/env", ["python3", "-c", count], stdin: junit)
            #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(regressions), "\(run.stderr)")
        } else {
            print("notice: junitparser missing; skipping the diff JUnit check")
        }
    }
}
