import DmesgScan
import Foundation
import Testing

/// The streaming writers must write what the whole-document builders write: the JSON
/// summary and KCIDB byte for byte (compact and pretty), JUnit with the same suites.
@Suite("Output: streaming writers")
struct StreamingWriterTests {
    func results() -> [InputResult] {
        let scanner = InputScanner(rules: TestSupport.ruleSet())
        var results: [InputResult] = []
        for name in ["serial-console-three-boots.log", "two-boots-6.12-buddy-fault.log.gz", "pass-7.1-caller-id.log"] {
            results += scanner.scanInputs(.file(TestSupport.samplesDirectory + "/" + name))
        }
        results.append(scanner.scan(.file("/nonexistent/dmesg.log")))
        results += scanner.scanInputs(.file(TestSupport.temporaryFile("empty.log", [])))
        return results
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func junitCountsEverySuiteAndNamesBootsOfMultiBootInputs() throws {
        var out = ""
        var writer = JUnitWriter(report: JUnitReport(failLevel: .warning)) { out += $0 }
        let inputs = results()
        writer.write(inputs)
        let boots = inputs.reduce(0) { $0 + $1.boots.count }
        // And one suite for the unreadable input, one for the empty one (an error, not green).
        #expect(count("<testsuite ", in: out) == boots + 2)
        #expect(out.contains("<error message=\"empty input\" type=\"input\"/>"))
        #expect(out.contains("<testsuites name=\"dmesgscan\" tests=\"\(count("<testcase ", in: out))\" "))
        #expect(out.contains("serial-console-three-boots.log boot 3\""))
        #expect(out.contains("pass-7.1-caller-id.log\" tests="))
        #expect(!out.contains("pass-7.1-caller-id.log boot 1"))
        #expect(out.hasSuffix("</testsuites>\n"))
    }

    @Test func spilledTextKeepsCharactersCutAtAChunkEdge() {
        // Suites larger than the spill file's read chunk (1 MiB), with two-byte characters
        // on every line, so some fall across a chunk's edge.
        // Four boots of 1,500 reports (a boot keeps at most 2,000).
        var log = ""
        for i in 0..<6000 {
            if i % 1500 == 0 { log += "[    0.000000] Linux version 6.12.0 (é@h) (gcc 14) #1 SMP\n" }
            log += "[   1.\(100000 + i)] ------------[ cut here ]------------\n"
            log += "[   1.\(100000 + i)] WARNING: CPU: 0 PID: 1 at drivers/x/e.c:\(i) f\(i)+0x1/0x2\n"
            log += "[   1.\(100000 + i)] Modules linked in: \(String(repeating: "é", count: 97))\n"
            log += "[   1.\(100000 + i)] ---[ end trace 0000000000000000 ]---\n"
        }
        let result = TestSupport.scan(log)
        var out = ""
        var writer = JUnitWriter(report: JUnitReport(failLevel: .warning)) { out += $0 }
        writer.write([result])
        #expect(out.utf8.count > 2 << 20)
        #expect(!out.contains("\u{FFFD}"))
        #expect(count("é", in: out) == count("é", in: JUnitReport(failLevel: .warning).document([result])))
        #expect(count(String(repeating: "é", count: 97), in: out) == 6000)
    }

    /// On its own thread, a writer gets the same calls in the same order, and `finish`
    /// returns only once all of it is out: the text is the same byte for byte.
    @Test func aWriterOnItsOwnThreadWritesTheSameBytes() {
        let inputs = results()
        let rules = TestSupport.ruleSet()
        var direct = ""
        var plain = JSONSummaryWriter(rules: rules, toolVersion: "test", pretty: true) { direct += $0 }
        plain.write(inputs)
        // Woken for every call, or once eight boots wait (a regular file's boots).
        for (depth, wakeEvery) in [(1, 1), (8, 1), (8, 8), (9, 4)] {
            // Written from the writer thread, read here after `finish`.
            let threaded = Locked("")
            var writer = BackgroundWriter(
                JSONSummaryWriter(rules: rules, toolVersion: "test", pretty: true) { text in threaded.with { $0 += text } },
                depth: depth, wakeEvery: wakeEvery)
            writer.write(inputs)
            #expect(threaded.with { $0 } == direct, "depth \(depth), woken every \(wakeEvery)")
        }
    }

    /// A writer dropped before `finish` (a run that failed) writes none of what waits, and
    /// its thread ends cleanly: every call's room is given back before its semaphores go
    /// (libdispatch traps on one destroyed below its first value, which crashes the process).
    @Test func aWriterDroppedUnfinishedEndsCleanly() throws {
        let inputs = results()
        let rules = TestSupport.ruleSet()
        let threaded = Locked("")
        for (depth, wakeEvery) in [(8, 8), (8, 1), (2, 2)] {
            do {
                var writer: any ResultWriter = BackgroundWriter(
                    JSONSummaryWriter(rules: rules, toolVersion: "test", pretty: false) { text in threaded.with { $0 += text } },
                    depth: depth, wakeEvery: wakeEvery)
                for boot in inputs[0].boots.prefix(depth) { writer.boot(boot, input: inputs[0].path, liveFindingsSent: false) }
            }
            usleep(50_000)  // the writer thread drops what waits and ends
        }
        // Nothing reaches the output but what the writers had already written.
        #expect(!threaded.with { $0 }.contains("\"totals\""))
    }

    /// The JSON summary is handed out in pieces of about 64 KiB, not a piece per boot, and
    /// the pieces make the same document.
    @Test func theJSONSummaryIsEmittedInLargePieces() {
        let inputs = results()
        let rules = TestSupport.ruleSet()
        var pieces: [String] = []
        var writer = JSONSummaryWriter(rules: rules, toolVersion: "test", pretty: true) { pieces.append($0) }
        writer.write(inputs)
        let boots = inputs.reduce(0) { $0 + $1.boots.count }
        #expect(pieces.count < boots)
        #expect(pieces.dropLast().allSatisfy { $0.utf8.count >= JSONSummaryWriter.emitSize })
        #expect(pieces.joined() == SummaryJSON.document(inputs: inputs, rules: rules, toolVersion: "test", pretty: true))
    }
}

/// A value shared with one other thread.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func with<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
