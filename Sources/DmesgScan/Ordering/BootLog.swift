/// Everything the earlier stages found in one boot: its events in record order, its
/// reports, and where it starts and ends.
public struct BootLog: Sendable {
    public var index: Int
    public var firstLine: Int
    public var lastLine: Int
    public var kernel: KernelVersion?
    public var architecture: String?
    public var events: [Event] = []
    public var reports: [Report] = []
    /// Findings over the boot's limit: counted by title, not kept.
    public var droppedFindings: [DroppedFindings] = []
    /// The lines the timeline needs (phases, taint changes, lost lines), bounded per boot.
    public var timeline = BootTimelineEvents()
    /// The input ended with an error inside this boot.
    public var cutShort = false
    /// Another boot follows in the same input: this one ended in a reboot.
    public var followedByAnotherBoot = false
    /// The boot's last line is a kernel record with a time, not pasted prose or a
    /// bootloader line: the log itself shows where the boot stopped.
    public var endsWithKernelRecord = false
    /// Wall-clock times (ISO 8601) of the boot's first and last records that show one with a
    /// year: nil for dmesg's monotonic times and BSD syslog's year-less dates.
    public var wallClockStart: String?
    public var wallClockEnd: String?

    public init(index: Int, firstLine: Int) {
        self.index = index
        self.firstLine = firstLine
        self.lastLine = firstLine
    }
}
