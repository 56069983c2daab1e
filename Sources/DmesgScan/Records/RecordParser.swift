/// Detects the format of each line and splits off its prefix. Hand-written byte parsing:
/// it runs on every line, so it must cost a few nanoseconds.
public enum RecordParser {
    static let levelNames: [[UInt8]] = ["emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"].map { Array($0.utf8) }
    static let facilityNames: [[UInt8]] = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
    ].map { Array($0.utf8) }

    public static func parse(_ line: UnsafeRawBufferPointer, lineNumber: Int) -> Record {
        var record = Record(
            lineNumber: lineNumber, format: .bare, timestamp: nil, level: nil, facility: nil,
            caller: nil, line: line, message: line)
        let bytes = line.bindMemory(to: UInt8.self)
        let count = bytes.count
        var i = 0

        // Mail quoting, possibly nested: "> > [ts] msg".
        while i < count && bytes[i] == UInt8(ascii: ">") {
            record.quoted = true
            i += 1
            if i < count && bytes[i] == UInt8(ascii: " ") { i += 1 }
        }
        let start = i

        // <N> raw prefix: N = facility * 8 + level.
        if count > start + 2 && bytes[start] == UInt8(ascii: "<") {
            var j = start + 1
            var value = 0
            while j < count && j < 6 && isDigit(bytes[j]) {
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

        // syslog / journalctl short and short-iso: "<date> host kernel: ".
        if i == start, let end = SyslogPrefix.end(bytes, from: start) {
            record.format = .syslog
            i = end
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
                i = end
            }
        }
        record.message = UnsafeRawBufferPointer(rebasing: line[i...])
        return record
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// Parses "[  12.345678]" starting at `start`; returns the value and the index after "]".
    static func parseTimestamp(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (Double, Int)? {
        var i = start + 1
        let count = b.count
        while i < count && b[i] == UInt8(ascii: " ") { i += 1 }
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
        var scale = 1
        var fractionDigits = 0
        while i < count && isDigit(b[i]) && fractionDigits < 9 {
            fraction = fraction * 10 + Int(b[i] - 48)
            scale *= 10
            i += 1
            fractionDigits += 1
        }
        guard fractionDigits > 0, i < count, b[i] == UInt8(ascii: "]") else { return nil }
        return (Double(whole) + Double(fraction) / Double(scale), i + 1)
    }

    /// Parses "[    T123]" or "[     C1]".
    static func parseCaller(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (Caller, Int)? {
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
        guard digits > 0, i < count, b[i] == UInt8(ascii: "]") else { return nil }
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
