/// Turns lines into records, owning the scratch memory some formats need: a
/// `journalctl -o json` line's MESSAGE is unescaped, a /dev/kmsg message loses its
/// `\xNN` escapes. A record's message is valid until the next `decode`.
public final class RecordDecoder {
    private var scratch: UnsafeMutableRawBufferPointer
    private var hostScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 8)
    private var json = JournalJSONLine()

    public init(capacity: Int = 64 * 1024) {
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        scratch.deallocate()
        hostScratch.deallocate()
    }

    public func decode(_ line: UnsafeRawBufferPointer, lineNumber: Int) -> Record {
        var record = Record.empty
        decode(line, lineNumber: lineNumber, into: &record)
        return record
    }

    /// Decodes into `record` in place (no copy of the record per line).
    @inline(__always)
    public func decode(_ line: UnsafeRawBufferPointer, lineNumber: Int, into record: inout Record) {
        if line.count > 1, line[0] == UInt8(ascii: "{"), json.parse(line) {
            record = journalRecord(line, lineNumber)
            return
        }
        RecordParser.parse(line, lineNumber: lineNumber, into: &record)
        if record.escaped { record.message = unescapeKmsg(record.message) }
    }

    private func journalRecord(_ line: UnsafeRawBufferPointer, _ lineNumber: Int) -> Record {
        let message = store(json.message)
        var record = Record(
            lineNumber: lineNumber, format: .journalJSON, timestamp: json.monotonicMicros.map { Double($0) / 1_000_000 },
            level: json.priority, facility: json.facility, caller: nil, line: line, message: message)
        record.isKernel = json.transport == nil || json.transport == "kernel"
        record.wallClockMicros = json.realtimeMicros
        if !json.hostname.isEmpty {
            let n = min(json.hostname.count, hostScratch.count)
            json.hostname.withUnsafeBytes { hostScratch.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: n) }
            record.host = UnsafeRawBufferPointer(start: hostScratch.baseAddress!, count: n)
        }
        if let boot = json.bootID {
            var hash = FNV1a64()
            hash.add(boot)
            record.bootMarker = .id(hash.value)
        }
        return record
    }

    private func store(_ bytes: [UInt8]) -> UnsafeRawBufferPointer {
        let n = min(bytes.count, scratch.count)
        bytes.withUnsafeBytes { scratch.baseAddress!.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(scratch.baseAddress!), byteCount: n) }
        return UnsafeRawBufferPointer(start: scratch.baseAddress!, count: n)
    }

    /// `\xNN` → byte; `\\` stays a backslash (the kernel escapes it as `\x5c`).
    private func unescapeKmsg(_ message: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var out = 0
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - 55
            default: return nil
            }
        }
        while i < message.count && out < scratch.count {
            if message[i] == UInt8(ascii: "\\"), i + 3 < message.count, message[i + 1] == UInt8(ascii: "x"),
                let hi = hex(message[i + 2]), let lo = hex(message[i + 3])
            {
                scratch[out] = hi << 4 | lo
                i += 4
            } else {
                scratch[out] = message[i]
                i += 1
            }
            out += 1
        }
        return UnsafeRawBufferPointer(start: scratch.baseAddress!, count: out)
    }
}
