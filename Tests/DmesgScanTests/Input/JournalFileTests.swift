import DmesgScan
import Foundation
import Testing

/// Journal files built by systemd-journal-remote from an export stream of our own sample
/// (two boots, one with the deferred-init WARN) give the same verdicts and findings as the
/// same entries read as `journalctl -o json` text.
@Suite("Input: systemd journal files")
struct JournalFileTests {
    static let remote = ["/lib/systemd/systemd-journal-remote", "/usr/lib/systemd/systemd-journal-remote"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The sample's JSON lines in journal export format.
    func exportStream() -> String {
        let text = String(decoding: TestSupport.readSample("journal-export.jsonl"), as: UTF8.self)
        var out = ""
        for line in text.split(separator: "\n") {
            guard case .object(let pairs)? = JSONParser.parse(Array(line.utf8)) else { continue }
            var fields: [(String, String)] = pairs.compactMap { key, value in
                if case .string(let s) = value { return (key, s) }
                return nil
            }
            if !fields.contains(where: { $0.0 == "__MONOTONIC_TIMESTAMP" }),
               let mono = fields.first(where: { $0.0 == "_SOURCE_MONOTONIC_TIMESTAMP" })?.1 {
                fields.append(("__MONOTONIC_TIMESTAMP", String((Int(mono) ?? 0) + 1)))
            }
            out += fields.map { "\($0.0)=\($0.1)\n" }.joined() + "\n"
        }
        return out
    }

    func summary(_ result: InputResult) -> [[String]] {
        result.boots.map { boot in
            ["kernel=\(boot.kernel?.release ?? "-")", "reached=\(boot.reached.rawValue)"]
                + boot.invariants.map { "\($0.id)=\($0.outcome.rawValue)/\($0.enforced)" }
                + boot.findings.map { $0.title }
        }
    }

    @Test func journalFileMatchesTheJSONExport() throws {
        guard let remote = JournalFileTests.remote else {
            print("notice: systemd-journal-remote is not installed; skipping journal-file tests")
            return
        }
        let dir = NSTemporaryDirectory() + "dmesgscan-journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/journal", withIntermediateDirectories: true)
        let export = TestSupport.temporaryFile("export.txt", Array(exportStream().utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: remote)
        process.arguments = ["--output=\(dir)/journal/system.journal", export]
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)

        let scanner = InputScanner(rules: TestSupport.ruleSet())
        let fromText = scanner.scan(.file(TestSupport.samplesDirectory + "/journal-export.jsonl"))
        let fromFile = scanner.scan(.file(dir + "/journal/system.journal"))
        #expect(fromFile.status == .ok, "\(String(describing: fromFile.error))")
        #expect(fromFile.boots.count == 2)
        #expect(summary(fromFile) == summary(fromText))
        #expect(fromFile.boots[1].invariants.contains { $0.id == "x86.smp-locks-after-page-alloc-init-late" && $0.outcome == .fail && $0.enforced })

        // A directory of journal files is one input.
        let items = InputExpander().expand([dir + "/journal"])
        #expect(items == [.input(.journalDirectory(dir + "/journal"))])
        #expect(summary(scanner.scan(.journalDirectory(dir + "/journal"))) == summary(fromText))

        // A corrupt journal (its header's feature flags garbled) is an error for that input.
        var bytes = Array(FileManager.default.contents(atPath: dir + "/journal/system.journal")!)
        for i in 8..<16 { bytes[i] = 0xFF }
        let corrupt = TestSupport.temporaryFile("corrupt.journal", bytes)
        let broken = scanner.scan(.file(corrupt))
        #expect(broken.status == .error)
        #expect(broken.error?.description.contains("journal") == true)
    }
}
