/// Reads a JSON document too large to hold, one value at a time: the caller walks the outer
/// structure (`expect`, `peek`) and takes each inner value as its raw bytes (`value`), which
/// `JSONParser` then reads. Only the value being read is in memory.
public struct JSONValueStream {
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false
    /// Appends the next bytes of the document to its argument; appends nothing at the end,
    /// and returns false when the read failed.
    private let more: (inout [UInt8]) -> Bool
    /// Set when `more` failed: the document is cut, not malformed.
    public private(set) var readFailed = false
    /// Bytes consumed so far, for messages that name a position.
    public private(set) var offset = 0

    public init(more: @escaping (inout [UInt8]) -> Bool) {
        self.more = more
    }

    /// The next byte after white space, without consuming it; nil at the end.
    public mutating func peek() -> UInt8? {
        while true {
            let (skipped, next) = buffer.withUnsafeBufferPointer { bytes -> (Int, UInt8?) in
                var k = position
                while k < bytes.count {
                    switch bytes[k] {
                    case 0x20, 0x0A, 0x0D, 0x09: k += 1
                    default: return (k - position, bytes[k])
                    }
                }
                return (k - position, nil)
            }
            consume(skipped)
            if let next { return next }
            guard refill() else { return nil }
        }
    }

    /// Consumes `byte` (after white space) if it is next.
    public mutating func expect(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        consume(1)
        return true
    }

    /// The raw bytes of the next value (after white space); nil if there is no complete one.
    public mutating func value() -> [UInt8]? {
        guard peek() != nil else { return nil }
        var scan = ValueScan()
        var k = position
        while true {
            let found = buffer.withUnsafeBufferPointer { scan.end(in: $0, from: k) }
            if let end = found { return take(end - position) }
            let kept = buffer.count - position
            guard refill() else {
                // A number or literal may end the document; a string or structure may not.
                return scan.endsAtDocumentEnd && kept > 0 ? take(kept) : nil
            }
            k = position + kept
        }
    }

    /// Where a value ends, found over as many reads as it spans.
    private struct ValueScan {
        var depth = 0
        var inString = false
        var escaped = false
        var started = false

        var endsAtDocumentEnd: Bool { depth == 0 && !inString }

        /// The index just past the value's end in `bytes`, or nil if it goes on past them.
        mutating func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
            var k = start
            while k < bytes.count {
                let byte = bytes[k]
                k += 1
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                        if depth == 0 { return k }
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    // A closing bracket after a scalar ends the scalar, and is not part of it.
                    if depth == 0 { return started ? k - 1 : nil }
                    depth -= 1
                    if depth == 0 { return k }
                case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                    if depth == 0 { return started ? k - 1 : nil }
                default: break
                }
                started = true
            }
            return nil
        }
    }

    private mutating func take(_ count: Int) -> [UInt8] {
        let bytes = Array(buffer[position..<(position + count)])
        consume(count)
        return bytes
    }

    private mutating func consume(_ count: Int) {
        position += count
        offset += count
    }

    /// Reads more, dropping what was consumed first; false at the end or on a failed read.
    private mutating func refill() -> Bool {
        guard !ended else { return false }
        if position > 0 {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        let before = buffer.count
        if !more(&buffer) {
            readFailed = true
            ended = true
        } else if buffer.count == before {
            ended = true
        }
        return buffer.count > before
    }
}
