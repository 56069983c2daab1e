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

    /// printk's fixed "[%5lu.%06lu]" layout has a fast path; every other width takes the
    /// general loop, and both must agree.
    @Test func timestampWidths() {
        #expect(parse("[    0.000100] a").timestamp == 0.0001)
        #expect(parse("[99999.999999] a").timestamp == 99999.999999)
        #expect(parse("[123456.000001] a").timestamp == 123456.000001)
        #expect(parse("[    1.5] a").timestamp == 1.5)
        #expect(parse("[    1.123456789] a").timestamp == 1.123456)
        #expect(parse("[ 1 2.000000] a").timestamp == nil)
        #expect(parse("[     .000000] a").timestamp == nil)
        #expect(parse("[    1.00x000] a").timestamp == nil)
    }

    /// The printk time read eight bytes at a time against a plain reading of the same
    /// grammar, on lines made of one layout's pieces: every place blank, a digit or a stray
    /// byte, and lines that end inside the time or right after it.
    @Test func timestampsAgreeWithAPlainReading() throws {
        let pattern = try Regex(#"^\[(?: |\u{A0})*([0-9]{1,12})\.([0-9]{1,9}) *\]"#)
        func reference(_ text: String) -> Double? {
            guard let match = text.prefixMatch(of: pattern), let whole = Int(match.output[1].substring!),
                  let fraction = match.output[2].substring else { return nil }
            let micros = Int(String((fraction + "00000").prefix(6)))!
            return Double(whole * 1_000_000 + micros) / 1_000_000
        }
        let places: [Character] = [" ", "0", "7", "9", ".", "]", "x", "!", ")", ":", "/"]
        var generator = SystemRandomNumberGenerator()
        var lines = ["[    0.000000] a", "[99999.999999]", "[    1.000000", "[ 1 2.000000] a", "[     .000000] a", "[00000.000000] a"]
        for _ in 0..<5000 {
            var line = "[    4.096000] m"
            var characters = Array(line)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                characters[Int.random(in: 1...13, using: &generator)] = places.randomElement(using: &generator)!
            }
            line = String(characters.prefix(Int.random(in: 12...16, using: &generator)))
            lines.append(line)
        }
        for line in lines {
            #expect(parse(line).timestamp == reference(line), "\(line)")
        }
    }

    /// "host kernel: " after the time: the host word is searched eight bytes at a time, so
    /// words of every length around that, and words a "[" or ":" ends, are tried.
    @Test func journalMonotonicHostWords() {
        for length in 1...20 {
            let host = String(repeating: "h", count: length)
            #expect(parse("[    1.000000] \(host) kernel: x").format == .journalMonotonic)
            #expect(parse("[    1.000000] \(host) kernel: x").message == "x")
            #expect(parse("[    1.000000] \(host)[1] kernel: x").format == .plain)
            #expect(parse("[    1.000000] \(host): kernel: x").format == .plain)
            #expect(parse("[    1.000000] \(host) kernel:").format == .plain)
        }
        #expect(parse("[    1.000000] " + String(repeating: "h", count: 255) + " kernel: x").format == .journalMonotonic)
        #expect(parse("[    1.000000] " + String(repeating: "h", count: 300) + " kernel: x").format == .plain)
        #expect(parse("[    1.000000] kernel: x").message == "x")
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
        // The suffix is searched byte by byte: a marker without digits, or with none after it.
        #expect(KernelVersion(release: "6.1.0-rcfoo")!.rc == nil)
        #expect(KernelVersion(release: "6.1.0-next-")!.next == "")
        #expect(KernelVersion(release: "6.1.0-r-rc7")!.rc == 7)
        #expect(KernelVersion(release: "6.1.0-rc99999999999999999999")!.rc == nil)
        // Non-ASCII text between the suffixes does not hide them.
        let unicode = KernelVersion(release: "6.1.0-rc3-é-next-2024")!
        #expect(unicode.rc == 3 && unicode.next == "2024")
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
        #expect(decisions([(0, false), (5.0, false), (0, false), (nil, false), (0, false)]) == [.same, .same, .hold, .hold, .hold])
    }

    @Test func aSecondaryCPUsEarlyClockIsNotABoot() {
        // "[0.000000][T0] calibrate_delay_direct() ..." printed during SMP bring-up.
        #expect(decisions([(0, false), (1.369, false), (0, false), (1.567, false)]) == [.same, .same, .hold, .release(split: false)])
        // A provisional early clock going back is not a reboot either.
        #expect(decisions([(0, false), (0.06, false), (0, false), (0.01, false)]) == [.same, .same, .same, .same])
    }

    @Test func aBannerWhileHoldingSplits() {
        #expect(decisions([(0, true), (9.0, false), (0, false), (0, true)]) == [.same, .same, .hold, .release(split: true)])
    }
}

@Suite("Records: robustness")
struct RecordRobustnessTests {
    /// Every prefix of tricky lines, and random bytes, parse without trapping (debug builds
    /// check every index) and keep the message inside the line.
    @Test func prefixesAndRandomBytesNeverTrap() {
        let lines = [
            "> > [    0.000000][    T0] Linux version 7.1.0", "<6>[    0.1] [   T36] x", "kern  :warn  : [    3.0] x",
            "6,339,5140900,-,caller=T42;msg \\x41\\x5c", " SUBSYSTEM=acpi", "-- Boot 2f8e0000 --",
            "May 29 15:02:42 xps kernel: [    1.0] x", "2024-05-08T08:20:04+0200 host kernel: x", "[St okt 15 20:57:24 2025] x",
            "[  +0,001060] x", "{\"MESSAGE\":[104,105],\"PRIORITY\":\"4\",\"_BOOT_ID\":\"ab\"}", "\u{A0} \u{A0}[ \u{A0}1.0] x",
        ]
        let decoder = RecordDecoder()
        var generator = SystemRandomNumberGenerator()
        var inputs: [[UInt8]] = []
        for line in lines {
            let bytes = Array(line.utf8)
            for n in 0...bytes.count { inputs.append(Array(bytes[0..<n])) }
        }
        for _ in 0..<2000 {
            let n = Int.random(in: 0..<40, using: &generator)
            let alphabet: [UInt8] = Array("[]<>:;,.-+ {}\"0123456789TCkernwa=\\x".utf8) + [0xC2, 0xA0, 0xFF, 0]
            inputs.append((0..<n).map { _ in alphabet.randomElement(using: &generator)! })
        }
        for input in inputs {
            input.withUnsafeBytes { raw in
                let record = decoder.decode(raw, lineNumber: 1)
                #expect(record.message.count <= max(raw.count, 64 * 1024))
            }
        }
    }

    /// Journal lines are read in place: unneeded values of every JSON kind are skipped, and
    /// a line that is not exactly one object with a MESSAGE falls back to the text formats.
    @Test func journalLinesSkipWhatTheyDoNotNeed() {
        let decoder = RecordDecoder()
        func decode(_ text: String) -> (format: RecordFormat, message: String, host: String?, level: Int8?) {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBytes { raw in
                let r = decoder.decode(UnsafeRawBufferPointer(raw), lineNumber: 1)
                return (r.format, String(decoding: r.message, as: UTF8.self), r.host.map { String(decoding: $0, as: UTF8.self) }, r.level)
            }
        }
        let full = decode(#"{ "__CURSOR" : "s=1;i=\"2\\", "N": -1.5e3, "A": [1, {"B": [true, null]}], "O": {}, "K\u0041": "x", "#
            + #""_HOSTNAME": "h\u00e9", "PRIORITY": "3", "MESSAGE": "caf\u00e9 \ud83d\ude00\ttab" }"#)
        #expect(full.format == .journalJSON && full.message == "café 😀\ttab" && full.host == "hé" && full.level == 3)
        #expect(decode(#"{"MESSAGE":null,"_HOSTNAME":7}"#) == (.journalJSON, "", nil, nil))
        #expect(decode(#"{"PRIORITY":"3"}"#).format != .journalJSON)
        #expect(decode(#"{"MESSAGE":"a"} trailing"#).format != .journalJSON)
        #expect(decode(#"{"MESSAGE":"a","X":[1,}"#).format != .journalJSON)
        #expect(decode(#"{"MESSAGE":"unterminated}"#).format != .journalJSON)
    }

    @Test func kmsgJournalAndSeparatorsAreDecoded() {
        let decoder = RecordDecoder()
        func decode(_ text: String) -> (Record, String) {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBytes { raw in
                let r = decoder.decode(UnsafeRawBufferPointer(raw), lineNumber: 1)
                return (r, String(decoding: r.message, as: UTF8.self))
            }
        }
        let (kmsg, text) = decode("4,1234,5140900,-,caller=T42;a\\x5cb\\x0a")
        #expect(kmsg.format == .kmsg && kmsg.level == 4 && kmsg.timestamp == 5.1409 && kmsg.caller?.description == "T42")
        #expect(text == "a\\b\n")
        let (json, message) = decode(#"{"__REALTIME_TIMESTAMP":"1599541804928338","_BOOT_ID":"c4b3","_TRANSPORT":"kernel","PRIORITY":"2","_SOURCE_MONOTONIC_TIMESTAMP":"108101136410","MESSAGE":"EXT4-fs error \"x\""}"#)
        #expect(json.format == .journalJSON && json.level == 2 && json.timestamp == 108101.13641)
        #expect(message == "EXT4-fs error \"x\"")
        #expect(json.bootMarker != nil && json.isKernel)
        let (user, _) = decode(#"{"_TRANSPORT":"stdout","MESSAGE":"WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2"}"#)
        #expect(!user.isKernel)
        let (bytesMessage, decoded) = decode(#"{"MESSAGE":[104,105,255]}"#)
        #expect(bytesMessage.format == .journalJSON && decoded.utf8.count >= 2)
        #expect(decode("-- Boot 0123456789abcdef --").0.bootMarker == .separator)
        #expect(decode("-- No entries --").0.bootMarker == nil)
        #expect(decode(" SUBSYSTEM=acpi").0.format == .kmsgProperty)
        #expect(decode("[Wed May  8 08:20:04 2024] devtmpfs: initialized").1 == "devtmpfs: initialized")
        #expect(decode("[  +0,001060] Freeing unused kernel image (initmem) memory: 2796K").0.format == .relative)
    }
}
