import DmesgScan
import Foundation
import Testing

/// One large file on two threads (`InputScanner.aheadRules`) must give exactly what one
/// thread gives: same boots, findings, verdicts, counters and rule errors.
@Suite("Pipeline: reading ahead on a second thread")
struct ReadAheadTests {
    func json(_ path: String, ahead: Bool, matching: AheadMatching = .balanced) -> String {
        let rules = TestSupport.ruleSet()
        let scanner = InputScanner(rules: rules)
        if ahead { scanner.aheadRules = TestSupport.ruleSet() }
        scanner.aheadMatching = matching
        let results = scanner.scanInputs(.file(path))
        return SummaryJSON.document(inputs: results, rules: rules, toolVersion: "test", pretty: true)
    }

    /// Every plain sample, then the layouts where the second thread must hand work back:
    /// blank lines and runs of empty lines inside an open report, time going back (held lines), journal JSON and
    /// kmsg escapes (messages in decoder scratch), an over-long line; repeated past many batches.
    func mixedLog() -> [UInt8] {
        var text: [UInt8] = []
        for name in ["pass-7.1-caller-id.log", "refused-7.0-next-util-linux.log", "serial-console-three-boots.log",
                     "journal-export.jsonl", "kmsg-records.log", "syslog-and-dmesg-T.log", "unknown-excerpt-dmesg-x.log",
                     "not-applicable-raw-up.log", "fail-6.8-deferred.log"] {
            text += TestSupport.readSample(name)
            if text.last != 0x0A { text.append(0x0A) }
        }
        let warning = """
            [   12.000001] ------------[ cut here ]------------
            [   12.000002] WARNING: CPU: 1 PID: 1 at mm/page_alloc.c:5000 __alloc_pages_noprof+0x1/0x20

            [   12.000003] Modules linked in: e1000e

            [   12.000004] CPU: 1 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.0 #1




            [   12.000005] Call Trace:
            [   12.000006]  <TASK>
            \t
            [   12.000007]  alloc_pages_mpol+0x1/0x20
            [   12.000008]  kthread+0x1/0x20
            [   12.000009]  </TASK>
            [   12.000010] ---[ end trace 0000000000000000 ]---

            """
        text += Array(warning.utf8)
        text += [UInt8](repeating: 0x0A, count: 70_000)  // a run of empty lines across batches
        text += Array("[   12.5] ".utf8) + [UInt8](repeating: UInt8(ascii: "y"), count: 100_000) + [0x0A]
        var out: [UInt8] = []
        while out.count < 3_000_000 { out += text }
        return out
    }

    @Test func twoThreadsGiveWhatOneGives() throws {
        let path = TestSupport.temporaryFile("mixed.log", mixedLog())
        let one = json(path, ahead: false)
        #expect(one.count > 100_000)
        // Whichever thread runs the rules on a batch (see `AheadMatching`).
        for matching in [AheadMatching.balanced, .reader, .scanner] {
            #expect(one == json(path, ahead: true, matching: matching), "\(matching)")
        }
    }

    /// Runs of lines without events are taken whole on the scanning thread (`LineBatch.QuietSpan`):
    /// their wall-clock times (syslog short-iso, `dmesg -T`) still set each boot's start and end, from
    /// whichever line of a run a report closes at, and a run still ends at a time of zero.
    @Test func quietRunsKeepWallClocksAndCounts() throws {
        var text = ""
        for boot in 0..<40 {
            let day = 10 + boot % 18
            if boot % 2 == 0 {
                text += "2024-06-\(day)T09:00:00+0000 host kernel: [    0.000000] Linux version 6.1.0-\(boot) (gcc) #1 SMP\n"
            } else {
                text += "[Wed Jun \(day) 09:00:00 2024] Linux version 6.1.0-\(boot) (gcc) #1 SMP\n"
            }
            for line in 1..<3_000 {
                let seconds = Double(line) * 0.01
                let clock = String(format: "%02d:%02d", (line / 60) % 60, line % 60)
                if boot % 2 == 0 {
                    text += "2024-06-\(day)T09:\(clock)+0000 host kernel: [\(String(format: "%12.6f", seconds))] quiet line \(line)\n"
                } else {
                    text += "[Wed Jun \(day) 09:\(clock) 2024] quiet line \(line)\n"
                }
                if line % 997 == 0 {
                    // A report that closes inside a run, then a secondary CPU's time of zero.
                    text += "[\(String(format: "%12.6f", seconds))] WARNING: CPU: 0 PID: 1 at mm/slub.c:1 kfree+0x1/0x2\n"
                    text += "[\(String(format: "%12.6f", seconds))] Call Trace:\n"
                    text += "[\(String(format: "%12.6f", seconds))]  kfree+0x1/0x2\n"
                    // Time goes on after it, so no boot starts here (dmesg -T lines carry no time).
                    if boot % 2 == 0 { text += "[    0.000000] smpboot: CPU 1 early clock\n" }
                }
                if line % 1_500 == 0 { text += "\n\n\n" }
            }
        }
        let path = TestSupport.temporaryFile("quiet.log", Array(text.utf8))
        // The JSON summary does not show the wall-clock span (time windows use it): compare it apart.
        func spans(ahead: Bool, matching: AheadMatching = .balanced) -> [String] {
            let scanner = InputScanner(rules: TestSupport.ruleSet())
            if ahead { scanner.aheadRules = TestSupport.ruleSet() }
            scanner.aheadMatching = matching
            return scanner.scanInputs(.file(path)).flatMap(\.boots).map {
                "\($0.firstLine)-\($0.lastLine) \($0.wallClockStart ?? "-") \($0.wallClockEnd ?? "-") \($0.findings.count)"
            }
        }
        let one = spans(ahead: false)
        #expect(one.count == 40)
        #expect(one.allSatisfy { !$0.contains(" - ") && !$0.hasSuffix(" 0") }, "\(one.prefix(3))")
        for matching in [AheadMatching.reader, .scanner] {
            #expect(one == spans(ahead: true, matching: matching), "\(matching)")
            #expect(json(path, ahead: false) == json(path, ahead: true, matching: matching), "\(matching)")
        }
    }

    /// A batch keeps no record of a quiet line, and the scanning thread decodes it again when
    /// it takes the line alone (inside a report). Here that line's message is unescaped into
    /// decoder scratch (kmsg `\\x5f`), and its arrival releases a held line (a time of zero),
    /// also escaped, which is decoded then: the frame must still read `alloc_pages_mpol`, on one
    /// thread (where the line is decoded once) as on two.
    @Test func quietLinesDecodedAgainKeepTheirMessages() throws {
        let report = [
            "6,1,1000,-;Linux version 6.12.0 (gcc) #1 SMP",
            "6,2,1500000,-;hello",
            "4,3,2000000,-;------------[ cut here ]------------",
            "4,4,2000001,-;WARNING: CPU: 1 PID: 1 at mm/page_alloc.c:5000 __alloc_pages_noprof+0x1/0x20",
            "4,5,2000002,-;Call Trace:",
            "4,6,2000003,-; <TASK>",
            "6,7,0,-;early clock\\x20of a secondary CPU, and more text here",
            "4,8,2000004,-; alloc_pages\\x5fmpol+0x1/0x20",
            "4,9,2000005,-; </TASK>",
            "4,10,2000006,-;---[ end trace 0000000000000000 ]---",
        ].joined(separator: "\n") + "\n"
        let path = TestSupport.temporaryFile("kmsg-held.log", Array(String(repeating: report, count: 5_000).utf8))
        for matching in [AheadMatching?.none, .reader, .scanner] {
            let scanner = InputScanner(rules: TestSupport.ruleSet())
            if let matching {
                scanner.aheadRules = TestSupport.ruleSet()
                scanner.aheadMatching = matching
            }
            let boots = scanner.scanInputs(.file(path)).flatMap(\.boots)
            #expect(boots.count == 5_000)
            let frames = Set(boots.flatMap { $0.findings.map { $0.frames } })
            #expect(frames == [["alloc_pages_mpol"]], "\(String(describing: matching))")
        }
        #expect(json(path, ahead: false) == json(path, ahead: true))
    }

    @Test func compressedAndShortInputsToo() throws {
        for name in ["fail-6.8-deferred.log.gz", "two-boots-6.12-buddy-fault.log.gz", "kmsg-records.log"] {
            let path = TestSupport.samplesDirectory + "/" + name
            #expect(json(path, ahead: false) == json(path, ahead: true), "\(name)")
        }
        let empty = TestSupport.temporaryFile("empty.log", [])
        #expect(json(empty, ahead: false) == json(empty, ahead: true))
        let blanks = TestSupport.temporaryFile("blanks.log", [UInt8](repeating: 0x0A, count: 2_000_000))
        #expect(json(blanks, ahead: false) == json(blanks, ahead: true))
    }
}
