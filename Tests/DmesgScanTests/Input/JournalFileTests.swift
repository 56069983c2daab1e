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

    /// A journal file made by systemd-journal-remote from an export stream; its exit status.
    func writeJournal(_ remote: String, _ export: String, to path: String) throws -> Int32 {
        let exportFile = TestSupport.temporaryFile("export-\(UUID().uuidString).txt", Array(export.utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: remote)
        process.arguments = ["--output=\(path)", exportFile]
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
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
        let dir = TestSupport.scratchRoot + "/journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/journal", withIntermediateDirectories: true)
        #expect(try writeJournal(remote, exportStream(), to: dir + "/journal/system.journal") == 0)

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

    /// sd-journal stops at a damaged entry, or skips a file it cannot open, without an error:
    /// the reader counts entries against the headers and says so, with the last cursor.
    @Test func aDamagedJournalIsPartialAndKeepsWhatCanBeRead() throws {
        guard let remote = JournalFileTests.remote else {
            print("notice: systemd-journal-remote is not installed; skipping damaged-journal tests")
            return
        }
        let dir = TestSupport.scratchRoot + "/journal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/dir", withIntermediateDirectories: true)
        // 20,000 kernel entries, a free_reserved_area WARN every 1,000.
        var export = ""
        for i in 0..<20_000 {
            let message = i % 1000 == 5
                ? "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:\(i) free_reserved_area+0x1c/0x1e0"
                : "kernel message \(i) with some padding text"
            export += "__REALTIME_TIMESTAMP=\(1_700_000_000_000_000 + i * 1000)\n__MONOTONIC_TIMESTAMP=\(1000 + i * 1000)\n"
                + "_BOOT_ID=0123456789abcdef0123456789abcdef\n_TRANSPORT=kernel\nPRIORITY=4\n"
                + "_SOURCE_MONOTONIC_TIMESTAMP=\(i * 1000)\nMESSAGE=\(message)\n\n"
        }
        #expect(try writeJournal(remote, export, to: dir + "/whole.journal") == 0)
        let scanner = InputScanner(rules: TestSupport.ruleSet())
        let whole = scanner.scan(.file(dir + "/whole.journal"))
        #expect(whole.status == .ok && whole.lines == 20_000)

        // 200 flipped bits past the header, at fixed places.
        var bytes = Array(FileManager.default.contents(atPath: dir + "/whole.journal")!)
        var state: UInt64 = 7
        for _ in 0..<200 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let at = 4096 + Int((state >> 33) % UInt64(bytes.count - 4096))
            bytes[at] ^= UInt8(1) << ((state >> 20) & 7)
        }
        _ = FileManager.default.createFile(atPath: dir + "/flipped.journal", contents: Data(bytes))
        let flipped = scanner.scan(.file(dir + "/flipped.journal"))
        #expect(flipped.status == .partial, "a damaged journal was reported \(flipped.status)")
        #expect(flipped.lines > 0 && flipped.lines < 20_000)
        let message = flipped.error?.description ?? ""
        #expect(message.contains("corrupt journal data") && message.contains("of the 20000 entries")
            && (message.contains("cursor s=") || message.contains("__REALTIME_TIMESTAMP=17")), "\(message)")
        // The findings among the entries read are kept.
        #expect(flipped.boots.flatMap(\.findings).count >= flipped.lines / 1000 - 1)

        // A cut file in a journal directory is named, and the others are read.
        try FileManager.default.copyItem(atPath: dir + "/whole.journal", toPath: dir + "/dir/system.journal")
        _ = FileManager.default.createFile(atPath: dir + "/dir/system@cut.journal~", contents: Data(bytes.prefix(bytes.count / 3)))
        let directory = scanner.scan(.journalDirectory(dir + "/dir"))
        #expect(directory.status == .partial)
        #expect(directory.lines == 20_000)
        #expect(directory.error?.description.contains("system@cut.journal~") == true, "\(String(describing: directory.error))")
    }
}
