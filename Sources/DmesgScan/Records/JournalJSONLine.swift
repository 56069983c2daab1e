#if canImport(Glibc)
import Glibc
#endif

/// Reads the fields dmesgscan needs from one `journalctl -o json` line: MESSAGE (a string
/// or, for non-UTF-8 messages, an array of bytes), PRIORITY, SYSLOG_FACILITY,
/// _SOURCE_MONOTONIC_TIMESTAMP (µs), _BOOT_ID, _TRANSPORT, __REALTIME_TIMESTAMP, _HOSTNAME.
struct JournalJSONLine {
    var message: [UInt8] = []
    var priority: Int8?
    var facility: Int8?
    var monotonicMicros: Int?
    var bootID: String?
    var transport: String?
    var realtimeMicros: Int?
    var hostname: [UInt8] = []

    /// The keys read; every other value is skipped without being decoded.
    private enum Key: CaseIterable {
        case message, priority, facility, monotonic, bootID, transport, realtime, hostname

        var name: StaticString {
            switch self {
            case .message: "MESSAGE"
            case .priority: "PRIORITY"
            case .facility: "SYSLOG_FACILITY"
            case .monotonic: "_SOURCE_MONOTONIC_TIMESTAMP"
            case .bootID: "_BOOT_ID"
            case .transport: "_TRANSPORT"
            case .realtime: "__REALTIME_TIMESTAMP"
            case .hostname: "_HOSTNAME"
            }
        }

        static func find(_ raw: UnsafeRawBufferPointer) -> Key? {
            allCases.first { key in
                let name = key.name
                return name.utf8CodeUnitCount == raw.count && memcmp(raw.baseAddress!, name.utf8Start, raw.count) == 0
            }
        }
    }

    /// Returns false when the line is not a JSON object with a MESSAGE. Reads the line in
    /// place: journal input is one of these per line, and building the whole object (a String
    /// per key and value) made it ten times slower than plain text.
    mutating func parse(_ line: UnsafeRawBufferPointer) -> Bool {
        message.removeAll(keepingCapacity: true)
        hostname.removeAll(keepingCapacity: true)
        priority = nil
        facility = nil
        monotonicMicros = nil
        bootID = nil
        transport = nil
        realtimeMicros = nil
        var sawMessage = false
        let valid = JSONParser.forEachMember(of: line) { raw, reader in
            guard let key = Key.find(raw) else { return reader.skipValue() }
            switch key {
            case .message:
                sawMessage = true
                if reader.next == UInt8(ascii: "\"") { return reader.string(into: &message) }
                // Messages that are not UTF-8 come as an array of byte values.
                guard let value = reader.value() else { return false }
                message.removeAll()
                if case .array(let items) = value {
                    message = items.compactMap { if case .int(let b) = $0, (0...255).contains(b) { UInt8(b) } else { nil } }
                }
                return true
            case .hostname:
                if reader.next == UInt8(ascii: "\"") { return reader.string(into: &hostname) }
                hostname.removeAll()
                return reader.skipValue()
            default:
                guard reader.next == UInt8(ascii: "\"") else { return reader.skipValue() }
                guard let text = reader.string() else { return false }
                switch key {
                case .priority: priority = Int8(text)
                case .facility: facility = Int8(text)
                case .monotonic: monotonicMicros = Int(text)
                case .bootID: bootID = text
                case .transport: transport = text
                case .realtime: realtimeMicros = Int(text)
                case .message, .hostname: break
                }
                return true
            }
        }
        return valid && sawMessage
    }
}
