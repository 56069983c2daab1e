/// The printk caller shown by CONFIG_PRINTK_CALLER: a task (`T123`) or a CPU (`C1`).
public struct Caller: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: UInt8, Sendable { case task = 84, cpu = 67 }  // "T", "C"
    public var kind: Kind
    public var id: Int32
    public var description: String { "\(kind == .task ? "T" : "C")\(id)" }
}

/// The log format a line was written in.
public enum RecordFormat: String, Sendable {
    case plain          // [ts] msg, with or without a caller id
    case raw            // <N>[ts] msg (dmesg -r, console with loglevel)
    case decoded        // kern  :warn  : [ts] msg (dmesg -x)
    case syslog         // Jun  2 09:25:11 host kernel: [ts] msg (syslog, journalctl short, short-iso)
    case journalMonotonic  // [ts] host kernel: msg (journalctl -o short-monotonic)
    case journalJSON    // {"MESSAGE": ..., "_SOURCE_MONOTONIC_TIMESTAMP": ...} (journalctl -o json)
    case kmsg           // 6,339,5140900,-;msg (/dev/kmsg)
    case kmsgProperty   //  SUBSYSTEM=acpi (a /dev/kmsg continuation line)
    case wallClock      // [Wed May  8 08:20:04 2024] msg (dmesg -T)
    case relative       // [  +0.050086] msg (dmesg -d / -H)
    case separator      // -- Boot 2f8e… -- / -- Reboot -- (journalctl)
    case bare           // no prefix at all
}

/// One log line, split into its prefix fields and message. The byte slices borrow the
/// reader's buffer and are valid only during the callback that received the record.
public struct Record {
    public var lineNumber: Int
    public var format: RecordFormat
    /// Seconds since boot from the printk prefix, when there is one.
    public var timestamp: Double?
    /// Syslog level 0 (emerg) … 7 (debug), when the format carries it.
    public var level: Int8?
    public var facility: Int8?
    public var caller: Caller?
    /// The line was quoted in a mail (`> `).
    public var quoted: Bool = false
    /// A journald boot id (hashed) or a `-- Boot --` separator: where boots change.
    public var bootMarker: BootMarker?
    /// False for journal entries of other transports (userspace): no kernel rule applies.
    public var isKernel: Bool = true
    /// The /dev/kmsg message still holds `\xNN` escapes.
    public var escaped: Bool = false
    /// The kmsg record is a continuation fragment (flag `c`).
    public var fragment: Bool = false
    /// Wall-clock time as printed (syslog, short-iso, `dmesg -T`), or from journald in µs.
    public var wallClock: UnsafeRawBufferPointer?
    public var wallClockMicros: Int?
    /// The host name, when the format shows it (syslog, journal).
    public var host: UnsafeRawBufferPointer?
    public var line: UnsafeRawBufferPointer
    public var message: UnsafeRawBufferPointer

    /// Clears every field for a new line, field by field (assigning a new value would build
    /// a temporary and copy it).
    @inline(__always)
    public mutating func reset(_ line: UnsafeRawBufferPointer, lineNumber: Int) {
        self.lineNumber = lineNumber
        format = .bare
        timestamp = nil
        level = nil
        facility = nil
        caller = nil
        quoted = false
        bootMarker = nil
        isKernel = true
        escaped = false
        fragment = false
        wallClock = nil
        wallClockMicros = nil
        host = nil
        self.line = line
        message = line
    }

    /// A record to parse into.
    public static var empty: Record {
        Record(lineNumber: 0, format: .bare, timestamp: nil, level: nil, facility: nil, caller: nil,
               line: UnsafeRawBufferPointer(start: nil, count: 0), message: UnsafeRawBufferPointer(start: nil, count: 0))
    }
}

/// Where a log format says a boot changes.
public enum BootMarker: Equatable, Sendable {
    /// journald's `_BOOT_ID`, hashed; a change of id is a new boot.
    case id(UInt64)
    /// A `-- Boot … --` or `-- Reboot --` separator line.
    case separator
}
