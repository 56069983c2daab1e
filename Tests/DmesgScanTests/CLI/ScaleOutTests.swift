import DmesgScan
import Foundation
import Testing

/// What a cluster needs to trust a scan split over machines: checked merges, runs that exit 0
/// for engines, every input accounted for in NDJSON, stdin named, and the CPUs it may use.
@Suite("CLI: scale-out (checked merge, engines)")
struct ScaleOutTests {
    let cli = CommandLineTests()
    var samples: [String] { OutputFormatTests().samples }

    func shards(_ count: Int, in dir: String, of inputs: [String]) throws -> [String] {
        try (1...count).map { index in
            let path = "\(dir)/part\(index)-of-\(count).json"
            let run = try cli.run(["--format", "json", "--shard", "\(index)/\(count)", "-o", path] + inputs)
            #expect(run.status <= 1, "\(run.stderr)")
            return path
        }
    }

    @Test func mergeRefusesWhatDoesNotBelongTogether() throws {
        let dir = TestSupport.scratchRoot + "/merge-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let three = try shards(3, in: dir, of: samples)
        let two = try shards(2, in: dir, of: samples)
        try FileManager.default.createDirectory(atPath: dir + "/other", withIntermediateDirectories: true)
        let otherSet = try shards(3, in: dir + "/other", of: Array(samples.prefix(3)))
        let whole = dir + "/whole.json"
        _ = try cli.run(["--format", "json", "-o", whole] + samples)
        #expect(try cli.run(["merge"] + three).status == 0)
        for (parts, message) in [
            (Array(three.prefix(2)), "missing shard 3 of 3"),
            (three + [three[0]], "shard 1/3 is given twice"),
            ([three[0], two[1]], "mixed N"),
            ([three[0], otherSet[1]], "another input set"),
            ([whole, whole], "is in \(whole) and in \(whole)"),
            ([whole, three[0]], "not a shard"),
        ] {
            let run = try cli.run(["merge"] + parts)
            #expect(run.status == 2 && run.stderr.contains(message), "\(message): \(run.stderr)")
        }
        // --allow-partial merges what is there, and says so.
        let partial = try cli.run(["merge", "--allow-partial", three[0], three[2]])
        #expect(partial.status == 0)
        let totals = (try JSONSerialization.jsonObject(with: Data(partial.stdout.utf8)) as! [String: Any])["totals"] as! [String: Any]
        #expect(totals["partial"] as? Bool == true && totals["missing_shards"] as? [Int] == [2])
        // Two spellings of one file are one input: a relative and an absolute path shard alike.
        let relative = try cli.runProgram("/bin/sh", ["-c", "cd '\(TestSupport.packageRoot)' && '\(CommandLineTests.binary)' --format json --shard 1/1 -o '\(dir)/rel.json' samples/pass-7.1-caller-id.log"])
        #expect(relative.status == 0, "\(relative.stderr)")
        _ = try cli.run(["--format", "json", "--shard", "1/1", "-o", dir + "/abs.json", TestSupport.samplesDirectory + "/pass-7.1-caller-id.log"])
        let doubled = try cli.run(["merge", "--allow-partial", dir + "/rel.json", dir + "/abs.json"])
        #expect(doubled.status == 2, "\(doubled.stderr)")
    }

    /// merge reads its parts one input at a time: two summaries of 20 MB each (inputs of one
    /// 1 MB boot) merge in the memory of a few inputs, not of the documents, and byte for byte
    /// as the parts said.
    @Test func mergeStreamsItsPartsInBoundedMemory() throws {
        let dir = TestSupport.scratchRoot + "/merge-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let excerpt = String(repeating: "x", count: 1 << 20)
        var parts: [String] = []
        for part in 0..<2 {
            let path = "\(dir)/part\(part).json"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            handle.write(Data(#"{"schema":"dmesgscan/1","tool":{"name":"dmesgscan","version":"t"},"rules":{"digest":"fnv1a64:0","count":1,"invariants":0},"inputs":["#.utf8))
            for i in 0..<20 {
                // Paths interleave across the parts, so the merge has to sort them.
                let name = String(format: "/logs/boot-%03d.log", 2 * i + (1 - part))
                handle.write(Data(((i > 0 ? "," : "") + #"{"path":"\#(name)","boots":[{"index":1,"findings":[{"title":"WARNING in f","excerpt":"\#(excerpt)"}]}],"status":"ok","lines":1,"bytes":1}"#).utf8))
            }
            handle.write(Data(#"],"totals":{"inputs":20,"boots":20,"titles":{"WARNING in f":{"count":20}}}}"#.utf8))
            try handle.close()
            parts.append(path)
        }
        let merged = dir + "/merged.json"
        let timed = try cli.runProgram("/usr/bin/time", ["-f", "%M", CommandLineTests.binary, "merge", "-o", merged] + parts)
        #expect(timed.status == 0, "\(timed.stderr)")
        let rssKiB = Int(timed.stderr.split(separator: "\n").last.map(String.init) ?? "") ?? Int.max
        // The parts hold 40 MB; read whole, they took about five times that. Under ASan only
        // the contents are checked: its quarantine keeps freed memory, so RSS says nothing.
        if ProcessInfo.processInfo.environment["DMESGSCAN_SANITIZED"] == nil {
            #expect(rssKiB < 40 * 1024, "peak RSS \(rssKiB) KiB")
        }
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: merged))) as! [String: Any]
        let inputs = json["inputs"] as! [[String: Any]]
        #expect(inputs.map { $0["path"] as! String } == (0..<40).map { String(format: "/logs/boot-%03d.log", $0) })
        #expect(inputs.allSatisfy { (($0["boots"] as! [[String: Any]])[0]["findings"] as! [[String: Any]])[0]["excerpt"] as? String == excerpt })
        let totals = json["totals"] as! [String: Any]
        #expect(totals["inputs"] as? Int == 40 && (totals["titles"] as! [String: [String: Int]])["WARNING in f"]?["count"] == 40)
        // A part cut short is refused with its name and where it breaks off.
        let cut = dir + "/cut.json"
        try Data(try Data(contentsOf: URL(fileURLWithPath: parts[0])).prefix(5_000_000)).write(to: URL(fileURLWithPath: cut))
        let refused = try cli.run(["merge", cut, parts[1]])
        #expect(refused.status == 2 && refused.stderr.contains("\(cut): not a JSON summary (malformed at byte "), "\(refused.stderr)")
    }

    /// A shard takes its paths from the list before looking at them: of forty missing files,
    /// each shard reports only its own, and together they report each once.
    @Test func aShardLooksOnlyAtItsOwnPaths() throws {
        let missing = (0..<40).map { "/nonexistent/dmesgscan-shard-test/board\($0).log" }
        let list = TestSupport.temporaryFile("list.txt", Array(missing.joined(separator: "\n").utf8))
        var reported: [String] = []
        for index in 1...4 {
            let run = try cli.run(["--format", "json", "--shard", "\(index)/4", "--files-from", list])
            let named = missing.filter { run.stderr.contains($0 + ":") }
            #expect(named.count < 40, "shard \(index) looked at every path")
            reported += named
        }
        #expect(reported.sorted() == missing.sorted())
    }

    /// `--shard-by size` deals the bytes out evenly; by path a shard's share is left to the hash.
    @Test func shardBySizeBalancesTheBytes() throws {
        let dir = TestSupport.scratchRoot + "/sizes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let boot = String(decoding: TestSupport.readSample("pass-7.1-caller-id.log"), as: UTF8.self)
        for index in 0..<24 {
            try String(repeating: boot, count: 1 + (index * 7) % 13).write(toFile: "\(dir)/log\(index).log", atomically: true, encoding: .utf8)
        }
        var bytes: [Int] = []
        var inputs = 0
        for index in 1...4 {
            let run = try cli.run(["--format", "json", "--shard", "\(index)/4", "--shard-by", "size", dir])
            let totals = (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any])["totals"] as! [String: Any]
            bytes.append(totals["bytes"] as! Int)
            inputs += ((totals["inputs"] as! [String: Int])["ok"] ?? 0)
        }
        #expect(inputs == 24)
        let mean = Double(bytes.reduce(0, +)) / 4
        #expect(bytes.allSatisfy { abs(Double($0) - mean) / mean < 0.1 }, "bytes per shard \(bytes)")
    }

    @Test func exitZeroKeepsTheFindingsAndTheErrorsButExitsZero() throws {
        let gz = TestSupport.gzip(TestSupport.readSample("refused-7.0-next-util-linux.log"))
        let truncated = TestSupport.temporaryFile("cut.log.gz", Array(gz.prefix(gz.count / 2)))
        let refused = TestSupport.samplesDirectory + "/refused-7.0-next-util-linux.log"
        let plain = try cli.run(["--format", "json", refused, truncated, "/nonexistent/x.log"])
        #expect(plain.status == 2)
        let engine = try cli.run(["--format", "json", "--exit-zero", refused, truncated, "/nonexistent/x.log"])
        #expect(engine.status == 0)
        #expect(engine.stdout == plain.stdout)
        #expect(engine.stderr.contains("x.log: cannot open") && engine.stderr.contains("truncated gzip data"))
        // A bad command line and unusable rules still fail.
        #expect(try cli.run(["--exit-zero", "--format", "nope", refused]).status == 64)
        let badRule = TestSupport.temporaryFile("bad.yml", Array("rules:\n  - {id: x, pattern: '(('}\n".utf8))
        #expect(try cli.run(["--exit-zero", "--rules", badRule, refused]).status == 2)
    }

    /// Every input is a line in NDJSON, ok or not, with its status, sizes and error.
    @Test func ndjsonAccountsForEveryInput() throws {
        let gz = TestSupport.gzip(TestSupport.readSample("pass-7.1-caller-id.log"))
        let truncated = TestSupport.temporaryFile("cut.log.gz", Array(gz.prefix(gz.count / 2)))
        let inputs = samples + [truncated, "/nonexistent/x.log"]
        let run = try cli.run(["--format", "ndjson"] + inputs)
        let states = run.stdout.split(separator: "\n").compactMap { line -> [String: Any]? in
            let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return (event?["event"] as? [String: Any])?["action"] as? String == "input" ? event : nil
        }
        #expect(states.count == inputs.count)
        let byPath = Dictionary(states.map { (($0["input"] as! [String: Any])["path"] as! String, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(((byPath["/nonexistent/x.log"]?["event"] as? [String: Any])?["outcome"] as? String) == "failure")
        #expect(((byPath[truncated]?["input"] as? [String: Any])?["status"] as? String) == "partial")
        #expect(((byPath[samples[0]]?["event"] as? [String: Any])?["outcome"] as? String) == "success")
        #expect(((byPath[samples[0]]?["input"] as? [String: Any])?["lines"] as? Int) == 48)
    }

    @Test func stdinNameNamesTheInputReadFromStdin() throws {
        let log = String(decoding: TestSupport.readSample("refused-7.0-next-util-linux.log"), as: UTF8.self)
        let text = try cli.run(["--stdin-name", "s3://lab-logs/2026-12-01/board7.log", "-"], stdin: log)
        #expect(text.stdout.hasPrefix("s3://lab-logs/2026-12-01/board7.log: boot 1"))
        let ndjson = try cli.run(["--format", "ndjson", "--stdin-name", "s3://lab-logs/board7.log", "-"], stdin: log)
        #expect(!ndjson.stdout.contains("<stdin>") && ndjson.stdout.contains("\"path\":\"s3://lab-logs/board7.log\""))
    }

    /// `--cache`: a second run over an unchanged tree reads every input from the cache and
    /// writes byte for byte the same; a touched file or a changed rule is scanned again, and
    /// nothing else.
    @Test func theCacheGivesTheSameOutputAndRescansOnlyWhatChanged() throws {
        let dir = TestSupport.scratchRoot + "/cache-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/logs", withIntermediateDirectories: true)
        for name in ["pass-7.1-caller-id.log", "refused-7.0-next-util-linux.log", "two-boots-6.12-buddy-fault.log.gz"] {
            try FileManager.default.copyItem(atPath: TestSupport.samplesDirectory + "/" + name, toPath: dir + "/logs/" + name)
        }
        let cache = dir + "/cache"
        func entries() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".json") }.count }
        let plain = try cli.run(["--format", "json", dir + "/logs"]).stdout
        let first = try cli.run(["--format", "json", "--cache", cache, dir + "/logs"])
        let afterFirst = try entries()
        #expect(first.stdout == plain && afterFirst == 3)
        for format in ["json", "text", "junit", "sarif", "tap", "html"] {
            let scanned = try cli.run(["--format", format, dir + "/logs"]).stdout
            #expect(try cli.run(["--format", format, "--cache", cache, dir + "/logs"]).stdout == scanned, "\(format)")
        }
        #expect(try entries() == 3)
        // A touched file (new modification time) is one new entry; the other two are reused.
        let touched = dir + "/logs/pass-7.1-caller-id.log"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: touched)
        #expect(try cli.run(["--format", "json", "--cache", cache, dir + "/logs"]).stdout == plain)
        #expect(try entries() == 4)
        // By content, a touch changes nothing, and a changed byte does.
        _ = try cli.run(["--format", "json", "--cache", cache, "--cache-by", "content", dir + "/logs"])
        let afterContent = try entries()
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 120)], ofItemAtPath: touched)
        _ = try cli.run(["--format", "json", "--cache", cache, "--cache-by", "content", dir + "/logs"])
        #expect(try entries() == afterContent)
        // Another rule set is another key for every input.
        let rule = TestSupport.temporaryFile("extra.yml", Array("rules:\n  - {id: extra.rule, pattern: '^abcdefgh'}\n".utf8))
        _ = try cli.run(["--format", "json", "--cache", cache, "--rules", rule, dir + "/logs"])
        #expect(try entries() == afterContent + 3)
        // A damaged entry is rescanned, written again, and the output stays the same.
        for name in try FileManager.default.contentsOfDirectory(atPath: cache) where name.hasSuffix(".json") {
            try Data("{\"cut".utf8).write(to: URL(fileURLWithPath: cache + "/" + name))
        }
        #expect(try cli.run(["--format", "json", "--cache", cache, "--cache-by", "content", dir + "/logs"]).stdout == plain)
        #expect(try cli.run(["--format", "json", "--cache", cache, "--cache-by", "content", dir + "/logs"]).stdout == plain)
    }

    /// The whole corpus twice with a cache: identical JSON, and the second run's time.
    @Test func aCachedRunOverTheCorpusIsIdenticalAndFaster() throws {
        guard FileManager.default.fileExists(atPath: TestSupport.corpusDirectory) else {
            print("notice: corpus absent; skipping the corpus cache check")
            return
        }
        let cache = TestSupport.scratchRoot + "/corpus-cache-\(UUID().uuidString)"
        func timed(_ arguments: [String]) throws -> (String, Double) {
            let start = Date()
            let run = try cli.run(arguments)
            return (run.stdout, Date().timeIntervalSince(start))
        }
        let (scanned, scanTime) = try timed(["--format", "json", "--cache", cache, TestSupport.corpusDirectory])
        let (reused, reuseTime) = try timed(["--format", "json", "--cache", cache, TestSupport.corpusDirectory])
        #expect(reused == scanned)
        print("measured: corpus with --cache: first run \(String(format: "%.2f", scanTime)) s, second \(String(format: "%.2f", reuseTime)) s (\(String(format: "%.1f", scanTime / reuseTime))x, test build)")
        #expect(reuseTime < scanTime, "the cached run is not faster")
        try? FileManager.default.removeItem(atPath: cache)
    }

    @Test func workersDefaultToTheCPUsTheProcessMayUse() {
        #expect(AvailableCPUs.count(cpuList: "0-3,8") == 5)
        #expect(AvailableCPUs.count(cpuList: "0") == 1)
        #expect(AvailableCPUs.count(cpuList: "3-1") == nil)
        #expect(AvailableCPUs.quota(cpuMax: "200000 100000") == 2)
        #expect(AvailableCPUs.quota(cpuMax: "150000 100000") == 2)
        #expect(AvailableCPUs.quota(cpuMax: "max 100000") == nil)
        #expect(AvailableCPUs.count >= 1 && AvailableCPUs.count <= Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
