/// A small JSON reader into `JSONValue`, keeping the order of object keys.
public enum JSONParser {
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        bytes.withUnsafeBytes { raw in
            var reader = Reader(bytes: raw)
            reader.skipSpace()
            guard let value = reader.value() else { return nil }
            reader.skipSpace()
            return reader.i == raw.count ? value : nil
        }
    }

    /// Walks the members of the one JSON object in `bytes` without building it, for readers
    /// that need a few keys of every line. `body` gets each key as raw bytes (escapes are left
    /// as written) and the reader at its value, which it must consume (`skipValue` if unneeded)
    /// and return whether it could. False if `bytes` is not exactly one valid object.
    static func forEachMember(of bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, inout Reader) -> Bool) -> Bool {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let walked = reader.members { reader in
            guard let key = reader.rawString(), reader.colon() else { return false }
            return body(key, &reader)
        }
        reader.skipSpace()
        return walked && reader.i == bytes.count
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var i = 0
        var depth = 0

        var next: UInt8? { i < bytes.count ? bytes[i] : nil }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func literal(_ text: StaticString) -> Bool {
            let expected = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
            guard i + expected.count <= bytes.count, bytes[i..<(i + expected.count)].elementsEqual(expected) else { return false }
            i += expected.count
            return true
        }

        /// Consumes a value without building it; false if there is no valid value here.
        mutating func skipValue() -> Bool {
            if next == UInt8(ascii: "\"") { return rawString() != nil }
            return value() != nil
        }

        /// A string's bytes as written, without the quotes and with escapes left in place.
        mutating func rawString() -> UnsafeRawBufferPointer? {
            guard next == UInt8(ascii: "\"") else { return nil }
            let start = i + 1
            var k = start
            while k < bytes.count {
                switch bytes[k] {
                case UInt8(ascii: "\""):
                    i = k + 1
                    return UnsafeRawBufferPointer(rebasing: bytes[start..<k])
                case UInt8(ascii: "\\"): k += 2
                default: k += 1
                }
            }
            return nil
        }

        mutating func value() -> JSONValue? {
            guard i < bytes.count, depth < 512 else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string().map { .string($0) }
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return number()
            }
        }

        mutating func object() -> JSONValue? {
            var pairs: [(String, JSONValue)] = []
            let walked = members { reader in
                guard let key = reader.string(), reader.colon(), let item = reader.value() else { return false }
                pairs.append((key, item))
                return true
            }
            return walked ? .object(pairs) : nil
        }

        /// Walks an object from its `{` to its `}`: `member` is called at each key and must
        /// read the key, the colon and the value.
        mutating func members(_ member: (inout Reader) -> Bool) -> Bool {
            guard next == UInt8(ascii: "{"), depth < 512 else { return false }
            i += 1
            depth += 1
            defer { depth -= 1 }
            skipSpace()
            if next == UInt8(ascii: "}") { i += 1; return true }
            while true {
                skipSpace()
                guard member(&self) else { return false }
                skipSpace()
                guard let separator = next else { return false }
                i += 1
                if separator == UInt8(ascii: ",") { continue }
                return separator == UInt8(ascii: "}")
            }
        }

        mutating func colon() -> Bool {
            skipSpace()
            guard next == UInt8(ascii: ":") else { return false }
            i += 1
            skipSpace()
            return true
        }

        mutating func array() -> JSONValue? {
            i += 1
            depth += 1
            defer { depth -= 1 }
            var items: [JSONValue] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            while true {
                skipSpace()
                guard let item = value() else { return nil }
                items.append(item)
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                return nil
            }
        }

        mutating func string() -> String? {
            var out: [UInt8] = []
            return string(into: &out) ? String(decoding: out, as: UTF8.self) : nil
        }

        /// Decodes a string into `out` (replacing its contents, keeping its capacity).
        mutating func string(into out: inout [UInt8]) -> Bool {
            guard next == UInt8(ascii: "\"") else { return false }
            out.removeAll(keepingCapacity: true)
            i += 1
            while i < bytes.count {
                // Copy the run up to the next quote or backslash in one go.
                let start = i
                while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\") { i += 1 }
                out.append(contentsOf: bytes[start..<i])
                guard i < bytes.count else { return false }
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { return true }
                guard i < bytes.count else { return false }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard i + 4 <= bytes.count, var code = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else { return false }
                    i += 4
                    // A surrogate pair: "\ud83d\ude00".
                    if (0xD800..<0xDC00).contains(code), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                       let low = UInt32(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16), (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(code) ?? "\u{FFFD}")).utf8))
                default: out.append(e)
                }
            }
            return false
        }

        mutating func number() -> JSONValue? {
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            if let int = Int(text) { return .int(int) }
            return Double(text).map { .double($0) }
        }
    }
}
