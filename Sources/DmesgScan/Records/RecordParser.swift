/// Detects the format of each line and splits off its prefix. Hand-written byte parsing:
/// it runs on every line, so it must cost a few nanoseconds.
public enum RecordParser {
    static let levelNames: [[UInt8]] = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"].map { Array($0.utf8) }
    static let facilityNames: [[UInt8]] = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
    ].map { Array($0.utf8) }

    public static func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int) -> Record {
        var record = Record.empty
        parse(line, lineNumber: lineNumber, into: &record)
        return record
    }

    /// Parses into `record` in place: the record is large, and copying it on every line showed
    /// as memmove in profiles.
    @inline(__always) public static func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout Record) {
        record.reset(line, lineNumber: lineNumber)
        let bytes = line.bindMemory(to: UInt8.self)
        let count = bytes.count
        var i = 0

        // Mail quoting, possibly nested: "> > [ts] msg", and the indentation mails add.
        while i < count && bytes[i] == UInt8(ascii: ">") {
            record.quoted = true
            i += 1
            while i < count && (bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t")) { i += 1 }
        }
        // Serial consoles start lines with stray carriage returns and NULs.
        while i < count && (bytes[i] == 0x0D || bytes[i] == 0) { i += 1 }
        let start = i

        // The common case, "[ts] msg", needs none of the prefix checks below.
        if !(start < count && bytes[start] == UInt8(ascii: "[")) {

            // /dev/kmsg: "pri,seq,usec,flag[,caller=T1];msg"
            if start < count, isDigit(bytes[start]), let end = parseKmsgHeader(bytes, from: start, into: &record) {
                record.message = UnsafeRawBufferPointer(rebasing: line[end...])
                return
            }
            // A /dev/kmsg continuation line: " KEY=value".
            if start == 0, count > 2, bytes[0] == UInt8(ascii: " "), bytes[1] >= UInt8(ascii: "A"), bytes[1] <= UInt8(ascii: "Z"), isProperty(bytes) {
                record.format = .kmsgProperty
                return
            }
            // journalctl separators: "-- Boot 2f8e… --", "-- Reboot --", "-- No entries --".
            if count >= start + 6, bytes[start] == UInt8(ascii: "-"), bytes[start + 1] == UInt8(ascii: "-"), bytes[start + 2] == UInt8(ascii: " "),
                bytes[count - 1] == UInt8(ascii: "-"), bytes[count - 2] == UInt8(ascii: "-")
            {
                record.format = .separator
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: line[start...]), as: UTF8.self)
                if text.hasPrefix("-- Boot ") || text.hasPrefix("-- Reboot") { record.bootMarker = .separator }
                return
            }

            // <N> raw prefix: N = facility * 8 + level.
            if count > start + 2 && bytes[start] == UInt8(ascii: "<") {
                var j = start + 1
                var value = 0
                while j < count && j < start + 6 && isDigit(bytes[j]) {
                    value = value * 10 + Int(bytes[j] - 48)
                    j += 1
                }
                if j > start + 1 && j < count && bytes[j] == UInt8(ascii: ">") {
                    record.level = Int8(value & 7)
                    record.facility = Int8(truncatingIfNeeded: value >> 3)
                    record.format = .raw
                    i = j + 1
                }
            }

            // dmesg -x: "kern  :warn  : "
            if i == start, let (facility, level, end) = parseDecodedPrefix(bytes, from: start) {
                record.facility = facility
                record.level = level
                record.format = .decoded
                i = end
            }

            // dmesg --time-format iso: "2024-05-08T08:20:04,123456+02:00 msg".
            if i == start, let end = isoTimeEnd(bytes, from: start) {
                record.format = .wallClock
                record.wallClock = UnsafeRawBufferPointer(rebasing: line[start..<end])
                i = end < count && bytes[end] == UInt8(ascii: " ") ? end + 1 : end
            }

            // syslog / journalctl short and short-iso: "<date> host kernel: ".
            if i == start, let end = SyslogPrefix.end(bytes, from: start) {
                record.format = .syslog
                let (date, host) = SyslogPrefix.parts(bytes, from: start, end: end)
                if let date { record.wallClock = UnsafeRawBufferPointer(rebasing: line[date]) }
                if let host, end > 0, bytes[end - 1] == UInt8(ascii: " ") { record.host = UnsafeRawBufferPointer(rebasing: line[host]) }
                i = end
            }

        }

        // [seconds.micros]
        if i < count && bytes[i] == UInt8(ascii: "["), let (ts, end) = parseTimestamp(bytes, from: i) {
            record.timestamp = ts
            if record.format == .bare { record.format = .plain }
            i = end
            // Caller id right after, with or without a space: "[    T0]".
            var k = i
            if k < count && bytes[k] == UInt8(ascii: " ") { k += 1 }
            if k < count && bytes[k] == UInt8(ascii: "["), let (caller, end2) = parseCaller(bytes, from: k) {
                record.caller = caller
                i = end2
            }
            if i < count && bytes[i] == UInt8(ascii: " ") { i += 1 }
            // journalctl -o short-monotonic: "[ts] host kernel: msg".
            if record.format == .plain, let end = SyslogPrefix.kernelTag(bytes, from: i) {
                record.format = .journalMonotonic
                if let host = SyslogPrefix.hostBefore(end: end, from: i) { record.host = UnsafeRawBufferPointer(rebasing: line[host]) }
                i = end
            }
        } else if i < count && bytes[i] == UInt8(ascii: "["), record.format == .bare || record.format == .syslog || record.format == .decoded,
            let (format, end) = parseOtherBracket(bytes, from: i)
        {
            // dmesg -T wall clock, or dmesg -d/-H relative times: no monotonic time.
            record.format = format
            if format == .wallClock { record.wallClock = UnsafeRawBufferPointer(rebasing: line[(i + 1)..<(end - 1)]) }
            i = end
            if i < count && bytes[i] == UInt8(ascii: " ") { i += 1 }
        }
        if record.format == .bare {
            // Without a prefix, leading blanks are indentation (mail, pasted reports), except
            // the one space that starts a call-trace frame, which rules expect.
            var k = i
            while k < count {
                if bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: "\t") {
                    k += 1
                } else if bytes[k] == 0xC2 && k + 1 < count && bytes[k + 1] == 0xA0 {
                    k += 2  // a no-break space, as mail clients write indentation
                } else {
                    break
                }
            }
            if k < count && k > i && !(bytes[k] >= UInt8(ascii: "a") && bytes[k] <= UInt8(ascii: "z")) && bytes[k] != UInt8(ascii: "_") && bytes[k] != UInt8(ascii: "?") && bytes[k] != UInt8(ascii: "<") {
                i = k
            }
            // Go's log prefix "2018/01/09 14:28:48 ", written by test harnesses on the console.
            if let end = goLogPrefixEnd(bytes, from: i) { i = end }
            // A record glued after userspace output on the same console line
            // ("syzkaller login: [  417.7][   C1] rcu: INFO: ..."): parsed from its timestamp.
            if let glued = gluedTimestamp(bytes, from: i) { k = glued }
            // Indented timestamped lines ("   [    0.1] msg") are parsed again from the bracket.
            if k < count && bytes[k] == UInt8(ascii: "[") && k > start {
                let rest = UnsafeRawBufferPointer(rebasing: line[k...])
                var inner = Record.empty
                parse(rest, lineNumber: lineNumber, into: &inner)
                if inner.format != .bare {
                    inner.line = line
                    inner.quoted = record.quoted
                    record = inner
                    return
                }
            }
        }
        record.message = UnsafeRawBufferPointer(rebasing: line[i...])
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// "YYYY-MM-DDTHH:MM:SS,ffffff+HH:MM" (dmesg's iso format, "," or "." before the
    /// fraction) followed by a space: the index after the zone.
    static func isoTimeEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard b.count >= start + 26, isDigit(b[start]), b[start + 4] == UInt8(ascii: "-"), b[start + 10] == UInt8(ascii: "T"),
              b[start + 13] == UInt8(ascii: ":"), b[start + 16] == UInt8(ascii: ":"),
              b[start + 19] == UInt8(ascii: ",") || b[start + 19] == UInt8(ascii: ".") else { return nil }
        var i = start + 20
        while i < b.count && isDigit(b[i]) { i += 1 }
        guard i + 6 <= b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), b[i + 3] == UInt8(ascii: ":") else { return nil }
        i += 6
        return i < b.count && b[i] == UInt8(ascii: " ") ? i : nil
    }

    /// "YYYY/MM/DD HH:MM:SS ": the index after it.
    static func goLogPrefixEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard b.count >= start + 20, isDigit(b[start]), b[start + 4] == UInt8(ascii: "/") else { return nil }
        for offset in 0..<20 {
            let byte = b[start + offset]
            switch offset {
            case 4, 7: if byte != UInt8(ascii: "/") { return nil }
            case 10, 19: if byte != UInt8(ascii: " ") { return nil }
            case 13, 16: if byte != UInt8(ascii: ":") { return nil }
            default: if !isDigit(byte) { return nil }
            }
        }
        return start + 20
    }

    /// The "[" of a "[seconds.micros]" that follows a space later in a bare line, after text
    /// with a letter in it ("login: "): diff and patch markers ("< [ts]", "+ [ts]") are not
    /// console output, and such lines stay as they are.
    static func gluedTimestamp(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start + 1 < b.count, let base = b.baseAddress else { return nil }
        // Bare lines are many and most hold no "[": memchr first, the other checks only at one.
        var k = start + 1
        while k < b.count, let found = memchr(base + k, Int32(UInt8(ascii: "[")), b.count - k) {
            k = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            // "[%5lu.%06lu]": a digit or a blank right after the bracket.
            if b[k - 1] == UInt8(ascii: " "), k + 1 < b.count, isDigit(b[k + 1]) || b[k + 1] == UInt8(ascii: " "),
                (start..<k).contains(where: { (b[$0] | 0x20) >= UInt8(ascii: "a") && (b[$0] | 0x20) <= UInt8(ascii: "z") }),
                parseTimestamp(b, from: k) != nil
            {
                return k
            }
            k += 1
        }
        return nil
    }

    @inline(__always) static func powerOfTen(_ n: Int) -> Int {
        var value = 1
        for _ in 0..<n { value &*= 10 }
        return value
    }

    /// "6,339,5140900,-;" and "4,1234,5678,c,caller=T42;": sets level, facility, time, caller.
    static func parseKmsgHeader(_ b: UnsafeBufferPointer<UInt8>, from start: Int, into record: inout Record) -> Int? {
        var i = start
        var numbers: [Int] = []
        numbers.reserveCapacity(3)
        for _ in 0..<3 {
            var value = 0
            var digits = 0
            while i < b.count, isDigit(b[i]), digits < 20 {
                value = value &* 10 &+ Int(b[i] - 48)
                i += 1
                digits += 1
            }
            guard digits > 0, i < b.count, b[i] == UInt8(ascii: ",") else { return nil }
            i += 1
            numbers.append(value)
        }
        guard i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "c") || b[i] == UInt8(ascii: "+") else { return nil }
        let flag = b[i]
        i += 1
        // Optional fields up to ';' (",caller=T42").
        var fieldsStart = i
        while i < b.count, b[i] != UInt8(ascii: ";") {
            if i - fieldsStart > 64 { return nil }
            i += 1
        }
        guard i < b.count else { return nil }
        while fieldsStart < i {
            if b[fieldsStart] == UInt8(ascii: "="), fieldsStart + 1 < i, let (caller, _) = parseCaller(b, from: fieldsStart, closing: UInt8(ascii: ";")) {
                record.caller = caller
                break
            }
            fieldsStart += 1
        }
        record.format = .kmsg
        record.level = Int8(numbers[0] & 7)
        record.facility = Int8(truncatingIfNeeded: numbers[0] >> 3)
        record.timestamp = Double(numbers[2]) / 1_000_000
        record.fragment = flag == UInt8(ascii: "c")
        let end = i + 1
        var k = end
        while k < b.count {
            if b[k] == UInt8(ascii: "\\") { record.escaped = true; break }
            k += 1
        }
        return end
    }

    static func isProperty(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 1
        while i < b.count, i < 48 {
            let c = b[i]
            if c == UInt8(ascii: "=") { return i > 1 }
            guard (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || isDigit(c) || c == UInt8(ascii: "_") else { return false }
            i += 1
        }
        return false
    }

    /// `[Wed May  8 08:20:04 2024]` (dmesg -T, any locale), `[  +0.050086]` / `[  +0,001060]`
    /// (dmesg -d), `[Aug14 11:33]` (dmesg -H): the format and the index after "]".
    static func parseOtherBracket(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (RecordFormat, Int)? {
        var close = start + 1
        while close < b.count, b[close] != UInt8(ascii: "]"), close - start < 48 { close += 1 }
        guard close < b.count, b[close] == UInt8(ascii: "]") else { return nil }
        var i = start + 1
        while i < close, b[i] == UInt8(ascii: " ") { i += 1 }
        if i < close, b[i] == UInt8(ascii: "+") {
            i += 1
            var digits = 0
            while i < close, isDigit(b[i]) || b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") { i += 1; digits += 1 }
            return digits > 0 && i == close ? (.relative, close + 1) : nil
        }
        // A clock "hh:mm" inside, letters before it: a wall-clock stamp.
        var colons = 0
        var letters = 0
        for k in i..<close {
            if b[k] == UInt8(ascii: ":") { colons += 1 }
            if (b[k] >= UInt8(ascii: "A") && b[k] <= UInt8(ascii: "Z")) || (b[k] >= UInt8(ascii: "a") && b[k] <= UInt8(ascii: "z")) { letters += 1 }
        }
        guard letters >= 3, colons >= 1, isDigit(b[close - 1]) else { return nil }
        return (colons >= 2 ? .wallClock : .relative, close + 1)
    }

    /// Parses "[  12.345678]" starting at `start`; returns the value and the index after "]".
    @inline(__always) static func parseTimestamp(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (Double, Int)? {
        if let fixed = parseFixedTimestamp(b, from: start) { return fixed }
        var i = start + 1
        let count = b.count
        // Padding is spaces; mail clients sometimes turn them into no-break spaces (C2 A0).
        while i < count && (b[i] == UInt8(ascii: " ") || (b[i] == 0xC2 && i + 1 < count && b[i + 1] == 0xA0)) {
            i += b[i] == 0xC2 ? 2 : 1
        }
        var whole = 0
        var digits = 0
        while i < count && isDigit(b[i]) && digits < 12 {
            whole = whole * 10 + Int(b[i] - 48)
            i += 1
            digits += 1
        }
        guard digits > 0, i < count, b[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        var fraction = 0
        var fractionDigits = 0
        while i < count && isDigit(b[i]) && fractionDigits < 9 {
            fraction = fraction * 10 + Int(b[i] - 48)
            i += 1
            fractionDigits += 1
        }
        // "[ 0.043841 ]": some consoles pad both sides.
        while i < count && b[i] == UInt8(ascii: " ") { i += 1 }
        guard fractionDigits > 0, i < count, b[i] == UInt8(ascii: "]") else { return nil }
        // Whole microseconds in integers, then one exact division.
        var micros = fraction
        if fractionDigits <= 6 {
            micros *= powerOfTen(6 - fractionDigits)
        } else {
            micros /= powerOfTen(fractionDigits - 6)
        }
        return (Double(whole * 1_000_000 + micros) / 1_000_000, i + 1)
    }

    /// The layout printk itself writes, "[%5lu.%06lu]", read at fixed positions eight bytes
    /// at a time: most lines have it, and a loop byte by byte was the top cost in profiles
    /// of plain logs. Blanks may pad the seconds, before their first digit only.
    @inline(__always) static func parseFixedTimestamp(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (Double, Int)? {
        guard start + 14 <= b.count, b[start + 6] == UInt8(ascii: "."), b[start + 13] == UInt8(ascii: "]") else { return nil }
        let base = b.baseAddress!
        // The five places of seconds, in the word's low five bytes.
        let places = ByteWord.load(base, at: start) >> 8 & 0xFF_FFFF_FFFF
        let blanks = ByteWord.equalMask(places, UInt8(ascii: " "))
        let blankBytes = (blanks >> 7) &* 0xFF
        guard blankBytes & (blankBytes &+ 1) == 0, blankBytes < 0xFF_0000_0000 else { return nil }
        // Blanks made "0" (0x20 | 0x10), the places moved up behind three more "0"s.
        let seconds = (places | blanks >> 3) << 24 | 0x30_3030
        // The six places of microseconds behind two "0"s (over the last place and the ".").
        let micros = ByteWord.load(base, at: start + 5) & ~0xFFFF | 0x3030
        guard ByteWord.allDigits(seconds), ByteWord.allDigits(micros) else { return nil }
        return (Double(ByteWord.digitsValue(seconds) &* 1_000_000 &+ ByteWord.digitsValue(micros)) / 1_000_000, start + 14)
    }

    /// Parses "[    T123]" or "[     C1]" (or "=T123;" in a kmsg header, with `closing` ";").
    static func parseCaller(_ b: UnsafeBufferPointer<UInt8>, from start: Int, closing: UInt8 = UInt8(ascii: "]")) -> (Caller, Int)? {
        var i = start + 1
        let count = b.count
        while i < count && b[i] == UInt8(ascii: " ") { i += 1 }
        guard i < count else { return nil }
        let kind: Caller.Kind
        switch b[i] {
        case UInt8(ascii: "T"): kind = .task
        case UInt8(ascii: "C"): kind = .cpu
        default: return nil
        }
        i += 1
        var id: Int32 = 0
        var digits = 0
        while i < count && isDigit(b[i]) && digits < 9 {
            id = id * 10 + Int32(b[i] - 48)
            i += 1
            digits += 1
        }
        if closing == UInt8(ascii: "]") { while i < count && b[i] == UInt8(ascii: " ") { i += 1 } }  // "[ T0 ]"
        guard digits > 0, i < count, b[i] == closing || (closing != UInt8(ascii: "]") && b[i] == UInt8(ascii: ",")) else { return nil }
        return (Caller(kind: kind, id: id), i + 1)
    }

    /// Parses the `dmesg -x` prefix "kern  :warn  : ".
    static func parseDecodedPrefix(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int8, Int8, Int)? {
        guard b.count > start + 8, b[start] >= UInt8(ascii: "a"), b[start] <= UInt8(ascii: "z") else { return nil }
        guard let (facility, afterFacility) = matchName(b, from: start, in: facilityNames) else { return nil }
        var i = afterFacility
        while i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        guard let (level, afterLevel) = matchName(b, from: i, in: levelNames) else { return nil }
        i = afterLevel
        while i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        if i < b.count && b[i] == UInt8(ascii: " ") { i += 1 }
        return (Int8(facility), Int8(level), i)
    }

    static func matchName(_ b: UnsafeBufferPointer<UInt8>, from start: Int, in names: [[UInt8]]) -> (Int, Int)? {
        for (index, name) in names.enumerated() where start + name.count <= b.count {
            var equal = true
            for k in 0..<name.count where b[start + k] != name[k] {
                equal = false
                break
            }
            if equal {
                let after = start + name.count
                // The name must end here ("err" must not match "error").
                if after < b.count, b[after] != UInt8(ascii: " "), b[after] != UInt8(ascii: ":") { continue }
                return (index, after)
            }
        }
        return nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
