/// A multi-line kernel report (WARNING, BUG, Oops, panic) grouped from consecutive lines.
public struct Report: Sendable {
    public struct Frame: Sendable {
        public var function: String
        public var line: Int
        public var text: String
        /// The faulting instruction pointer (`RIP:`), not a call-trace entry.
        public var isInstructionPointer: Bool
        /// A lockdep `at:` line: where a lock was taken, not a call-trace entry.
        public var isLockSite = false
    }

    /// The rule whose banner started the report.
    public var rule: Int
    public var title: String
    public var level: Level
    /// First line (the `cut here` line when there is one) and last line, 1-based.
    public var startLine: Int
    public var endLine: Int
    public var bannerLine: Int
    public var timestamp: Double?
    /// Wall-clock time and host of the banner line, when the log format shows them.
    public var wallClock: String?
    public var host: String?
    public var caller: Caller?
    public var fields: [String: String]
    /// Indices into the boot's events of the events inside the report.
    public var events: [Int]
    public var frames: [Frame]
    public var guiltyFrame: String?
    /// Stable id of the normalised title (FNV-1a 64), equal for the same bug everywhere.
    public var signature: String
    /// The 0-day robot's style of id, e.g. `WARNING:at_mm/memblock.c:#__free_reserved_area`.
    public var lkpID: String
    /// The title needed a guilty frame and none was found (syzkaller's CORRUPTED).
    public var corrupted: Bool
    /// The report's lines as printed (capped), with their line numbers.
    public var excerpt: Excerpt
    /// True when an end marker closed it; false when it was cut off by another report,
    /// a stray line or the end of the input.
    public var complete: Bool

    public func hasFrame(_ function: String) -> Bool {
        frames.contains { $0.function == function }
    }
}
