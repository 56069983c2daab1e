/// A boot in time: the phases it reached (in record order, each placed by its anchor line),
/// when its taint flags changed and which report did it, and where the log says lines were lost.
public struct BootTimeline: Sendable {
    public struct Phase: Sendable {
        public var name: String
        public var line: Int
        public var timestamp: Double?
        /// The phase's own duration in ms, where its line gives one (`deferred … in 38ms`).
        public var durationMs: Double?
        public var durationLabel: String?
    }

    public struct TaintChange: Sendable {
        public var line: Int
        public var timestamp: Double?
        /// Every flag shown, as the kernel prints them (`G W`), and those new at this line.
        public var flags: String
        public var added: String
        /// Index into the boot's findings of the report that tainted the kernel: the last one
        /// that ended before the line showing the new flags (nil: none in this log).
        public var cause: Int?
    }

    public struct Gap: Sendable {
        public var line: Int
        public var timestamp: Double?
        /// Lines the notice says were lost, when it says.
        public var count: Int?
        public var text: String
    }

    public var phases: [Phase] = []
    public var taint: [TaintChange] = []
    public var gaps: [Gap] = []
    /// Every lost-lines notice (`gaps` keeps the first of them), and the lines they count.
    public var gapCount = 0
    public var linesLost = 0

    public init() {}

    /// The phase a line falls in: the last one reached at or before it.
    public func phase(at line: Int) -> String? {
        var found: String?
        for phase in phases {
            if phase.line > line { break }
            found = phase.name
        }
        return found
    }

    /// A lost-lines notice between two lines (inclusive).
    public func hasGap(from first: Int, to last: Int) -> Bool {
        gaps.contains { $0.line >= first && $0.line <= last }
    }
}
