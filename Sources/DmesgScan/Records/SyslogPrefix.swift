/// The prefixes syslog and journalctl put before a kernel message:
/// `Jun  2 09:25:11 host kernel: `, `2024-05-08T08:20:04+0200 host kernel: `, and the
/// `host kernel: ` / `kernel: ` tag alone after a monotonic `[ts]`.
enum SyslogPrefix {
    /// "kernel: " read as a little-endian UInt64.
    static var kernelTag: UInt64 { 0x203A_6C65_6E72_656B }

    /// The index after "<date> <host> kernel: ", or nil when the line does not start so.
    static func end(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        // journalctl output with only the identifier ("kernel: msg").
        if let end = literal(b, at: start) { return end }
        guard let afterDate = dateEnd(b, from: start) else { return nil }
        // Test harnesses (LAVA) write "<date> [ts] msg" with no host or tag.
        if afterDate < b.count, b[afterDate] == UInt8(ascii: "[") { return afterDate }
        return kernelTag(b, from: afterDate)
    }

    /// The date and host parts of a prefix that `end` matched ending at `end`.
    static func parts(_ b: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> (date: Range<Int>?, host: Range<Int>?) {
        guard let afterDate = dateEnd(b, from: start) else { return (nil, hostBefore(end: end, from: start)) }
        return (start..<(afterDate - 1), hostBefore(end: end, from: afterDate))
    }

    /// The word before "kernel: " that ends at `end`, if there is one after `from`.
    static func hostBefore(end: Int, from: Int) -> Range<Int>? {
        end - 9 > from ? from..<(end - 9) : nil
    }

    /// Matches "kernel: " or "host kernel: " at `start`; returns the index after it.
    @inline(__always) static func kernelTag(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        if let end = literal(b, at: start) { return end }
        guard start < b.count, let base = b.baseAddress else { return nil }
        // One word (the host name), a space, then the tag. Every plain line is tried, so the
        // word is searched eight bytes at a time for the space, or a "[" or ":" that ends it
        // (only the first such byte is read, so the has-zero test will do), inlined and
        // without overflow checks: this ran on every line at about 80 instructions.
        let limit = min(b.count, start &+ 256)
        var i = start
        while i < limit {
            if i &+ 8 <= limit {
                let word = ByteWord.load(base, at: i)
                let stops = ByteWord.firstEqualMask(word, UInt8(ascii: " ")) | ByteWord.firstEqualMask(word, UInt8(ascii: "["))
                    | ByteWord.firstEqualMask(word, UInt8(ascii: ":"))
                guard stops != 0 else {
                    i &+= 8
                    continue
                }
                i &+= stops.trailingZeroBitCount >> 3
            }
            let byte = base[i]
            if byte == UInt8(ascii: " ") { break }
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: ":") { return nil }
            i &+= 1
        }
        guard i > start, i < b.count else { return nil }
        return literal(b, at: i &+ 1)
    }

    @inline(__always) private static func literal(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        // "kernel: " as one 8-byte comparison.
        guard start &+ 8 <= b.count, let base = b.baseAddress else { return nil }
        let word = UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self)
        return word == SyslogPrefix.kernelTag ? start &+ 8 : nil
    }

    /// "Jun  2 09:25:11 " (BSD syslog) or "2024-05-08T08:20:04[.frac][zone] " (ISO 8601).
    static func dateEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        func digit(_ i: Int) -> Bool { i < b.count && b[i] >= 48 && b[i] <= 57 }
        func upper(_ i: Int) -> Bool { i < b.count && b[i] >= 65 && b[i] <= 90 }
        func lower(_ i: Int) -> Bool { i < b.count && b[i] >= 97 && b[i] <= 122 }
        func byte(_ i: Int, _ c: Unicode.Scalar) -> Bool { i < b.count && b[i] == UInt8(ascii: c) }
        func clock(_ i: Int) -> Bool {
            digit(i) && digit(i + 1) && byte(i + 2, ":") && digit(i + 3) && digit(i + 4) && byte(i + 5, ":") && digit(i + 6) && digit(i + 7)
        }
        let s = start
        // Month names may be localised ("okt", "mars", "déc."), so three to five letters.
        var m = s
        while m < b.count, m - s < 6, upper(m) || lower(m) || b[m] >= 0x80 || byte(m, ".") { m += 1 }
        if m - s >= 3, byte(m, " "), (digit(m + 1) || byte(m + 1, " ")), digit(m + 2), byte(m + 3, " "), clock(m + 4) {
            var i = m + 12
            // Optional fractional seconds (rsyslog high precision is ISO; some add ".123").
            if byte(i, ".") { i += 1; while digit(i) { i += 1 } }
            return byte(i, " ") ? i + 1 : nil
        }
        if digit(s) && digit(s + 1) && digit(s + 2) && digit(s + 3) && byte(s + 4, "-") && digit(s + 5) && digit(s + 6)
            && byte(s + 7, "-") && digit(s + 8) && digit(s + 9) && (byte(s + 10, "T") || byte(s + 10, " ")) && clock(s + 11) {
            var i = s + 19
            if byte(i, ".") || byte(i, ",") { i += 1; while digit(i) { i += 1 } }
            if byte(i, "Z") { i += 1 } else if byte(i, "+") || byte(i, "-") {
                i += 1
                while digit(i) || byte(i, ":") { i += 1 }
            }
            return byte(i, " ") ? i + 1 : nil
        }
        return nil
    }
}
