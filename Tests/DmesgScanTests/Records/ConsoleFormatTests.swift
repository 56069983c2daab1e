import DmesgScan
import Testing

/// Console layouts that used to scan to nothing: padded stamps, dmesg's iso and `-x -T`
/// forms, serial-console carriage returns and NULs, harness prefixes, glued records.
@Suite("Records: console layouts")
struct ConsoleFormatTests {
    func parse(_ line: String) -> (format: RecordFormat, timestamp: Double?, caller: String?, message: String) {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            let r = RecordParser.parse(UnsafeRawBufferPointer(raw), lineNumber: 1)
            return (r.format, r.timestamp, r.caller?.description, String(decoding: r.message, as: UTF8.self))
        }
    }

    @Test func paddedStampAndCaller() {
        let r = parse("[ 0.043841 ][ T0 ] Linux version 6.8.0")
        #expect(r.timestamp == 0.043841)
        #expect(r.caller != nil)
        #expect(r.message == "Linux version 6.8.0")
    }

    @Test func dmesgIsoTime() {
        let r = parse("2024-05-08T08:20:04,123456+02:00 WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2")
        #expect(r.format == .wallClock)
        #expect(r.message.hasPrefix("WARNING: CPU: 0"))
    }

    @Test func decodedWithWallClock() {
        let r = parse("kern  :warn  : [Wed May  8 08:20:05 2024] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2")
        #expect(r.message.hasPrefix("WARNING: CPU: 0"))
    }

    /// The wall-clock forms the records give, read back as seconds since the epoch.
    @Test func wallClockTextReadsBackAsEpochSeconds() {
        #expect(WallClock.unixSeconds(iso: WallClock.iso8601(unixMicros: 1_780_911_600_100_000)) == 1_780_911_600.1)
        #expect(WallClock.unixSeconds(iso: "2026-06-08T11:40:00+02:00") == 1_780_911_600)
        #expect(WallClock.unixSeconds(iso: "2026-06-08T11:40:00,5+0200") == 1_780_911_600.5)
        #expect(WallClock.unixSeconds(iso: "2026-06-08T04:40:00-05:00") == 1_780_911_600)
        #expect(WallClock.unixSeconds(iso: "1970-01-01") != nil)
        #expect(WallClock.unixSeconds(iso: "2024-02-29 08:20Z") == 1_709_194_800)
        for bad in ["2026-13-01", "2026-06-08T25:00", "Jun  2 09:25:11", "2026-06-08T11:40:00+2", "2026-06-08X"] {
            #expect(WallClock.unixSeconds(iso: bad) == nil, "\(bad)")
        }
    }

    @Test func carriageReturnsAndNulsBeforeTheStamp() {
        #expect(parse("\r\r[    1.000000] BUG: Bad page state in process swapper/0  pfn:40400").timestamp == 1.0)
        #expect(parse("\u{0}\u{0}[    1.000000] Oops: 0000 [#1] SMP").message == "Oops: 0000 [#1] SMP")
    }

    @Test func recordGluedAfterUserspaceOutput() {
        let r = parse("syzkaller login: [  417.725670][    C1] rcu: INFO: rcu_sched self-detected stall on CPU")
        #expect(r.timestamp == 417.72567)
        #expect(r.message == "rcu: INFO: rcu_sched self-detected stall on CPU")
        // Brackets that are not a printk stamp, and diff markers, leave the line alone.
        #expect(parse("login: [ok] done").message == "login: [ok] done")
        #expect(parse("< [    0.000000] Linux version 3.16.0").message == "< [    0.000000] Linux version 3.16.0")
    }

    @Test func goLogPrefixOfTestHarnesses() {
        #expect(parse("2018/01/09 14:28:48 BUG: memory leak").message == "BUG: memory leak")
    }

    @Test func wholeLogsInTheseLayoutsAreScanned() {
        let iso = """
            2024-05-08T08:20:04,123456+02:00 Linux version 6.8.0 (a@b) #1 SMP
            2024-05-08T08:20:05,123456+02:00 WARNING: CPU: 0 PID: 1 at mm/x.c:1 foo+0x1/0x2
            2024-05-08T08:20:05,123457+02:00 RIP: 0010:foo+0x1/0x2
            2024-05-08T08:20:05,123458+02:00 ---[ end trace 0 ]---

            """
        let boot = TestSupport.scan(iso).boots[0]
        #expect(boot.kernel?.release == "6.8.0")
        #expect(boot.findings.map(\.title) == ["WARNING in foo"])
    }

    @Test func kernelVersionFromTheReportWhenTheBannerIsMissing() {
        let log = """
            [    1.000000] WARNING: CPU: 0 PID: 1 at mm/x.c:1 foo+0x1/0x2
            [    1.000001] CPU: 0 PID: 1 Comm: swapper Not tainted 6.8.0-rc3 #1
            [    1.000001] RIP: 0010:foo+0x1/0x2
            [    1.000002] ---[ end trace 0 ]---

            """
        #expect(TestSupport.scan(log).boots[0].kernel?.release == "6.8.0-rc3")
    }

    @Test func anInputWithNoKernelRecordIsToldApart() {
        #expect(TestSupport.scan("hello\nworld\n").kernelRecords == 0)
        #expect(TestSupport.scan("[    1.0] hello\n").kernelRecords == 1)
    }
}
