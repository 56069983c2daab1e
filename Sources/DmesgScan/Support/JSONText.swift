/// JSON string escaping and number text, over bytes: shared by the journal reader (which
/// turns entries into JSON lines) and every JSON output.
public enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string literal. Control characters and DEL are escaped; other
    /// bytes, UTF-8 included, are copied as they are.
    public static func escape(_ s: String, into out: inout [UInt8]) { escape(s, onto: &out) }

    /// `escape` onto any sink (the JSON stream writes onto its `ByteBuffer`).
    static func escape<Sink: ByteSink>(_ s: String, onto out: inout Sink) {
        out.append(UInt8(ascii: "\""))
        // Read in place (a copy of the string to call `withUTF8` on cost a retain and a release).
        if s.utf8.withContiguousStorageIfAvailable({ escapeBytes($0, into: &out) }) == nil {
            var s = s
            s.withUTF8 { escapeBytes($0, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `escape` of `String(decoding: bytes, as: UTF8.self)`, read in place when the bytes are
    /// ASCII (then they are valid UTF-8 as they are); other bytes go through the String, which
    /// repairs invalid UTF-8.
    public static func escape(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) { escape(utf8: bytes, onto: &out) }

    static func escape<Sink: ByteSink>(utf8 bytes: UnsafeBufferPointer<UInt8>, onto out: inout Sink) {
        guard isASCII(bytes) else { return escape(String(decoding: bytes, as: UTF8.self), onto: &out) }
        out.append(UInt8(ascii: "\""))
        escapeBytes(bytes, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Whether no byte has its high bit set, eight at a time.
    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        var high: UInt64 = 0
        while i + 8 <= bytes.count {
            high |= UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(base[i])
            i += 1
        }
        return high & ByteWord.highs == 0
    }

    private static func escapeBytes<Sink: ByteSink>(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout Sink) {
        guard let base = bytes.baseAddress else { return }
        let count = bytes.count
        var clean = 0
        var i = 0
        while i < count {
            // Eight bytes at a time while none needs escaping (most log text needs none), then
            // byte by byte to the one that does or to the end. (Going back to the eight-byte
            // test after each byte of a string's last few cost about 200 instructions a string.)
            while i + 8 <= count, !needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) { i += 8 }
            // The last few bytes as the eight that end the string (read again in part).
            if i < count, i + 8 > count, count >= 8, !needsEscape(UnsafeRawPointer(base + count - 8).loadUnaligned(as: UInt64.self)) { i = count }
            while i < count, !needsEscape(base[i]) { i += 1 }
            guard i < count else { break }
            let byte = base[i]
            out.append(bytes: UnsafeBufferPointer(start: base + clean, count: i - clean))
            clean = i + 1
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            default:
                for unit in [UInt8(ascii: "u"), 0x30, 0x30, JSONText.hex[Int(byte >> 4)], JSONText.hex[Int(byte & 15)]] { out.append(unit) }
            }
            i += 1
        }
        out.append(bytes: UnsafeBufferPointer(start: base + clean, count: count - clean))
    }

    /// Whether the byte is below 0x20, a quote, a backslash or DEL.
    @inline(__always) static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F
    }

    /// Whether any of the eight bytes needs escaping (the bit tricks of "Bit Twiddling Hacks":
    /// a byte is zero, or less than n). Only "any" is asked, so the cheaper test that may mark
    /// bytes above a hit will do, not `ByteWord.equalMask`.
    @inline(__always) static func needsEscape(_ word: UInt64) -> Bool {
        let ones = ByteWord.ones, highs = ByteWord.highs
        func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
        let control = (word &- ones &* 0x20) & ~word & highs
        return (control | hasZero(word ^ (ones &* 0x22)) | hasZero(word ^ (ones &* 0x5C)) | hasZero(word ^ (ones &* 0x7F))) != 0
    }

    /// Appends the decimal digits of `value`.
    public static func integer(_ value: Int, into out: inout [UInt8]) { integer(value, onto: &out) }

    static func integer<Sink: ByteSink>(_ value: Int, onto out: inout Sink) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            if value == .min {
                for unit in String(value).utf8.dropFirst() { out.append(unit) }
                return
            }
            return integer(-value, onto: &out)
        }
        if value < 10 { return out.append(UInt8(truncatingIfNeeded: value) + 0x30) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, no allocation
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[count] = UInt8(truncatingIfNeeded: rest % 10) + 0x30
                rest /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buffer[i]) }
        }
    }

    /// Appends `seconds(d)`, digit by digit (no String made).
    public static func seconds(_ d: Double, into out: inout [UInt8]) { seconds(d, onto: &out) }

    static func seconds<Sink: ByteSink>(_ d: Double, onto out: inout Sink) {
        let micros = (d * 1_000_000).rounded()
        guard abs(micros) < 1e15 else {
            for unit in "\(d)".utf8 { out.append(unit) }
            return
        }
        let whole = Int(micros) / 1_000_000
        let fraction = abs(Int(micros) % 1_000_000)
        if micros < 0 && whole == 0 { out.append(UInt8(ascii: "-")) }
        integer(whole, onto: &out)
        out.append(UInt8(ascii: "."))
        var divisor = 100_000
        while divisor > 0 {
            out.append(UInt8(truncatingIfNeeded: fraction / divisor % 10) + 0x30)
            divisor /= 10
        }
    }

    /// Appends `text` (ASCII the caller wrote, such as `null` or `": "`).
    @inline(__always) static func literal<Sink: ByteSink>(_ text: StaticString, into out: inout Sink) {
        out.append(bytes: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Seconds with microsecond precision, without a float's noise: `12.000340`.
    public static func seconds(_ d: Double) -> String {
        var out: [UInt8] = []
        seconds(d, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
