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

    /// Returns false when the line is not a JSON object with a MESSAGE.
    mutating func parse(_ line: UnsafeRawBufferPointer) -> Bool {
        self = JournalJSONLine()
        guard case .object(let pairs)? = JSONParser.parse(Array(line)) else { return false }
        var sawMessage = false
        for (key, value) in pairs {
            let text: String? = if case .string(let s) = value { s } else { nil }
            switch key {
            case "MESSAGE":
                switch value {
                case .string(let s): message = Array(s.utf8)
                case .array(let items): message = items.compactMap { if case .int(let b) = $0, (0...255).contains(b) { UInt8(b) } else { nil } }
                default: break
                }
                sawMessage = true
            case "PRIORITY": priority = text.flatMap { Int8($0) }
            case "SYSLOG_FACILITY": facility = text.flatMap { Int8($0) }
            case "_SOURCE_MONOTONIC_TIMESTAMP": monotonicMicros = text.flatMap { Int($0) }
            case "_BOOT_ID": bootID = text
            case "_TRANSPORT": transport = text
            case "__REALTIME_TIMESTAMP": realtimeMicros = text.flatMap { Int($0) }
            case "_HOSTNAME": hostname = Array((text ?? "").utf8)
            default: break
            }
        }
        return sawMessage
    }
}
