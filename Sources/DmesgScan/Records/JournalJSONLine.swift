/// Reads the fields dmesgscan needs from one `journalctl -o json` line: MESSAGE (a string
/// or, for non-UTF-8 messages, an array of bytes), PRIORITY, SYSLOG_FACILITY,
/// _SOURCE_MONOTONIC_TIMESTAMP (µs), _BOOT_ID and _TRANSPORT. Other fields are skipped.
struct JournalJSONLine {
    var message: [UInt8] = []
    var priority: Int8?
    var facility: Int8?
    var monotonicMicros: Int?
    var bootID: String?
    var transport: String?
    var realtimeMicros: Int?
    var hostname: [UInt8] = []

    /// Returns false when the line is not a JSON object with a MESSAGE.
    mutating func parse(_ line: UnsafeRawBufferPointer) -> Bool {
        message.removeAll(keepingCapacity: true)
        priority = nil
        facility = nil
        monotonicMicros = nil
        bootID = nil
        transport = nil
        realtimeMicros = nil
        hostname.removeAll(keepingCapacity: true)
        var reader = Reader(bytes: line)
        var sawMessage = false
        reader.skipSpace()
        guard reader.eat(UInt8(ascii: "{")) else { return false }
        reader.skipSpace()
        if reader.eat(UInt8(ascii: "}")) { return false }
        while true {
            reader.skipSpace()
            guard let key = reader.string() else { return false }
            reader.skipSpace()
            guard reader.eat(UInt8(ascii: ":")) else { return false }
            reader.skipSpace()
            switch key {
            case "MESSAGE":
                if let text = reader.stringBytes() {
                    message = text
                } else if let array = reader.byteArray() {
                    message = array
                } else if !reader.skipValue() { return false }
                sawMessage = true
            case "PRIORITY":
                priority = reader.string().flatMap { Int8($0) }
            case "SYSLOG_FACILITY":
                facility = reader.string().flatMap { Int8($0) }
            case "_SOURCE_MONOTONIC_TIMESTAMP":
                monotonicMicros = reader.string().flatMap { Int($0) }
            case "_BOOT_ID":
                bootID = reader.string()
            case "_TRANSPORT":
                transport = reader.string()
            case "__REALTIME_TIMESTAMP":
                realtimeMicros = reader.string().flatMap { Int($0) }
            case "_HOSTNAME":
                hostname = reader.stringBytes() ?? []
            default:
                guard reader.skipValue() else { return false }
            }
            reader.skipSpace()
            if reader.eat(UInt8(ascii: ",")) { continue }
            if reader.eat(UInt8(ascii: "}")) { return sawMessage }
            return false
        }
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
        }

        mutating func eat(_ c: UInt8) -> Bool {
            guard i < bytes.count, bytes[i] == c else { return false }
            i += 1
            return true
        }

        mutating func string() -> String? {
            stringBytes().map { String(decoding: $0, as: UTF8.self) }
        }

        /// A JSON string's bytes with escapes decoded; nil (and nothing consumed) if not a string.
        mutating func stringBytes() -> [UInt8]? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            var out: [UInt8] = []
            var k = i + 1
            while k < bytes.count {
                let c = bytes[k]
                if c == UInt8(ascii: "\"") {
                    i = k + 1
                    return out
                }
                if c == UInt8(ascii: "\\"), k + 1 < bytes.count {
                    let e = bytes[k + 1]
                    k += 2
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        guard k + 4 <= bytes.count, let code = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[k..<k + 4]), as: UTF8.self), radix: 16) else { return nil }
                        k += 4
                        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                    default: out.append(e)
                    }
                    continue
                }
                out.append(c)
                k += 1
            }
            return nil
        }

        /// `[104, 105]`: MESSAGE as bytes.
        mutating func byteArray() -> [UInt8]? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return nil }
            var out: [UInt8] = []
            i += 1
            while true {
                skipSpace()
                if eat(UInt8(ascii: "]")) { return out }
                var value = 0
                var digits = 0
                while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 {
                    value = value * 10 + Int(bytes[i] - 48)
                    i += 1
                    digits += 1
                }
                guard digits > 0, value < 256 else { return nil }
                out.append(UInt8(value))
                skipSpace()
                _ = eat(UInt8(ascii: ","))
            }
        }

        /// Skips any JSON value (strings, numbers, literals, nested arrays and objects).
        mutating func skipValue() -> Bool {
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: "\"") { return stringBytes() != nil }
            if bytes[i] == UInt8(ascii: "[") || bytes[i] == UInt8(ascii: "{") {
                var depth = 0
                while i < bytes.count {
                    let c = bytes[i]
                    if c == UInt8(ascii: "\"") {
                        guard stringBytes() != nil else { return false }
                        continue
                    }
                    if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") { depth += 1 }
                    if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            return true
                        }
                    }
                    i += 1
                }
                return false
            }
            while i < bytes.count, bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "}"), bytes[i] != UInt8(ascii: "]") { i += 1 }
            return true
        }
    }
}
