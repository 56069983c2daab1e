import DmesgScan
import Testing

@Suite("Records: formats")
struct RecordParserTests {
    struct Parsed: Equatable {
        var format: RecordFormat
        var timestamp: Double?
        var level: Int8?
        var caller: String?
        var message: String
    }

    func parse(_ line: String) -> Parsed {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            let r = RecordParser.parse(UnsafeRawBufferPointer(raw), lineNumber: 1)
            return Parsed(format: r.format, timestamp: r.timestamp, level: r.level, caller: r.caller?.description,
                          message: String(decoding: r.message, as: UTF8.self))
        }
    }

    @Test func plain() {
        #expect(parse("[    0.064513] Freeing SMP alternatives memory: 44K")
            == Parsed(format: .plain, timestamp: 0.064513, level: nil, caller: nil, message: "Freeing SMP alternatives memory: 44K"))
    }

    @Test func callerIdConsoleStyle() {
        #expect(parse("[   17.209008][    C0] ------------[ cut here ]------------")
            == Parsed(format: .plain, timestamp: 17.209008, level: nil, caller: "C0", message: "------------[ cut here ]------------"))
    }

    @Test func callerIdUtilLinuxStyle() {
        #expect(parse("[    0.027118] [      T0] Cannot free reserved memory")
            == Parsed(format: .plain, timestamp: 0.027118, level: nil, caller: "T0", message: "Cannot free reserved memory"))
    }

    @Test func rawWithLevel() {
        #expect(parse("<6>[    0.064229] [   T36] node 0 deferred pages initialised in 57ms")
            == Parsed(format: .raw, timestamp: 0.064229, level: 6, caller: "T36", message: "node 0 deferred pages initialised in 57ms"))
        #expect(parse("<4>[    1.5] msg").level == 4)
    }

    @Test func dmesgDecoded() {
        #expect(parse("kern  :warn  : [    3.000000] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2")
            == Parsed(format: .decoded, timestamp: 3.0, level: 4, caller: nil, message: "WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2"))
        #expect(parse("kern  :err   : [    3.0] x").level == 3)
    }

    @Test func syslogAndJournal() {
        #expect(parse("May 29 15:02:42 xps kernel: Linux version 6.1.0-9-amd64").message == "Linux version 6.1.0-9-amd64")
        #expect(parse("Aug 15 05:11:11 travis-job kernel: [    0.756281] Freeing SMP alternatives memory: 32K")
            == Parsed(format: .syslog, timestamp: 0.756281, level: nil, caller: nil, message: "Freeing SMP alternatives memory: 32K"))
        #expect(parse("2024-05-08T08:20:04+0200 host kernel: devtmpfs: initialized").message == "devtmpfs: initialized")
        #expect(parse("[    0.750090] kernel: Freeing unused decrypted memory: 2028K")
            == Parsed(format: .journalMonotonic, timestamp: 0.75009, level: nil, caller: nil, message: "Freeing unused decrypted memory: 2028K"))
        #expect(parse("[    0.064601] abreu kernel: Freeing SMP alternatives memory: 36K").message == "Freeing SMP alternatives memory: 36K")
    }

    @Test func mailQuoted() {
        let p = parse("> > [    0.1] devtmpfs: initialized")
        #expect(p.message == "devtmpfs: initialized" && p.timestamp == 0.1)
    }

    @Test func noPrefixAndGarbageAreKeptWhole() {
        #expect(parse("kernel BUG at mm/page_alloc.c:1015!") == Parsed(format: .bare, timestamp: nil, level: nil, caller: nil, message: "kernel BUG at mm/page_alloc.c:1015!"))
        #expect(parse("[ not a timestamp] x").format == .bare)
        #expect(parse("").message == "")
        #expect(parse("[").message == "[")
        #expect(parse("<7").message == "<7")
        #expect(parse("kern  :").format == .bare)
    }

    @Test func invalidUTF8AndNULsDoNotBreakParsing() {
        var bytes: [UInt8] = Array("[    1.000000] ".utf8) + [0xff, 0x00, 0xc3, 0x28]
        bytes.withUnsafeMutableBytes { raw in
            let r = RecordParser.parse(UnsafeRawBufferPointer(raw), lineNumber: 1)
            #expect(r.timestamp == 1.0 && r.message.count == 4)
        }
    }
}

@Suite("Records: kernel versions")
struct KernelVersionTests {
    @Test func parsesReleases() {
        let v = KernelVersion(release: "7.1.0-rc2-00057-gb3a2dfa8b42e")!
        #expect((v.major, v.minor, v.patch, v.rc) == (7, 1, 0, 2))
        let next = KernelVersion(release: "7.0.0-rc5-next-20260326-master")!
        #expect(next.next == "20260326" && next.rc == 5)
        #expect(KernelVersion(release: "6.18-amd64")!.minor == 18)
        #expect(KernelVersion(release: "abc") == nil)
    }

    @Test func rangesCompareByNumbers() {
        let range = VersionRange(">= 7.1")!
        #expect(range.contains(KernelVersion(release: "7.1.0-rc2")!))
        #expect(!range.contains(KernelVersion(release: "7.0.0-rc5-next-20260326")!))
        #expect(VersionRange(">= 5.8, < 6.11")!.contains(KernelVersion(release: "6.10.3")!))
        #expect(!VersionRange(">= 5.8, < 6.11")!.contains(KernelVersion(release: "6.11.0")!))
        #expect(VersionRange("~ 7") == nil)
    }
}

@Suite("Records: boot splitting")
struct BootSplitterTests {
    func decisions(_ inputs: [(Double?, Bool)]) -> [BootSplitter.Decision] {
        var splitter = BootSplitter()
        return inputs.map { splitter.feed(timestamp: $0.0, isBanner: $0.1) }
    }

    @Test func secondBannerStartsABoot() {
        #expect(decisions([(0, true), (1.0, false), (0, true)]) == [.same, .same, .newBoot])
    }

    @Test func untimedLinesBeforeTheFirstBannerBelongToIt() {
        #expect(decisions([(nil, false), (nil, false), (0, true), (0.5, false)]) == [.same, .same, .same, .same])
    }

    @Test func timeBackToZeroThatStaysLowIsABoot() {
        #expect(decisions([(0, false), (5.0, false), (0, false), (0.01, false)]) == [.same, .same, .hold, .release(split: true)])
    }

    @Test func aSecondaryCPUsEarlyClockIsNotABoot() {
        // "[0.000000][T0] calibrate_delay_direct() ..." printed during SMP bring-up.
        #expect(decisions([(0, false), (0.369, false), (0, false), (0.567, false)]) == [.same, .same, .hold, .release(split: false)])
    }

    @Test func aBannerWhileHoldingSplits() {
        #expect(decisions([(0, true), (9.0, false), (0, false), (0, true)]) == [.same, .same, .hold, .release(split: true)])
    }
}
