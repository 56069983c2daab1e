/// Where a rule or invariant was written, for error messages and `rules test`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var description: String { "\(file):\(line):\(column)" }
}

/// A rule from `rules/*.yml`: one PCRE2 pattern run on each record's message, whose named
/// captures become the event's fields, plus the roles the line plays in later stages.
public struct Rule: Sendable {
    /// What a matching line means to the boot splitter.
    public enum BootRole: String, Sendable { case start, userspace, panic }
    /// What a matching line means to report grouping.
    public enum ReportRole: String, Sendable {
        /// `------------[ cut here ]------------`: a report follows, its message may come first.
        case cut
        /// A report's first line (banner); `title` is the report title template.
        case start
        /// A line that closes the open report and belongs to it.
        case end
        /// A call-trace frame; the `func` capture is the function.
        case frame
        /// The faulting instruction pointer (`RIP:`), preferred as the guilty frame.
        case rip
        /// `Call Trace:`: from here on, lines that are not frames or `continue` lines end the report.
        case trace
        /// A line that may follow inside a call trace (`<TASK>`, `<IRQ>`, register dumps).
        case `continue`
    }

    public struct Anchor: Sendable {
        public enum Side: String, Sendable {
            /// The line is printed only after the milestone completed.
            case after
            /// The line is printed before the milestone completed.
            case before
            /// The last line of this rule in a boot marks the milestone complete: every NUMA
            /// node that defers pages prints one line when it is done.
            case afterLast = "after-last"
        }
        public var milestone: String
        public var side: Side
        public var kernel: VersionRange?
    }

    public struct Example: Sendable {
        public var line: String
        public var shouldMatch: Bool
        public var fields: [String: String]
        public var location: SourceLocation
    }

    public var id: String
    public var title: String
    public var level: Level
    public var pattern: String
    /// A literal every match contains, for the prefilter; extracted from `pattern` when absent.
    public var literal: String?
    /// Texts one of which every matching message starts with (`prefixes:`), for patterns
    /// like `^(?:smp: Brought|Brought) up` whose fixed start the extractor cannot see.
    public var prefixes: [String]
    public var boot: BootRole?
    public var report: ReportRole?
    public var anchors: [Anchor]
    /// A line naming a NUMA node the boot has (`Initmem setup node N`…): the `node` capture.
    public var numaNode: Bool
    /// Among report starts on one line, the highest priority wins (specific titles over generic).
    public var priority: Int
    /// How many lines a report of this rule may have before its call trace starts.
    public var maxLines: Int?
    /// The 0-day robot style id template (`WARNING:at_{file}{func}`); captures have digits
    /// turned to `#` and spaces to `_`. When absent it is derived from the banner line.
    public var lkp: String?
    public var tags: [String]
    public var examples: [Example]
    /// Where the pattern is: file, line and column of its first character.
    public var location: SourceLocation
    /// The pattern was written in a double-quoted YAML string, where `\d` is a YAML escape.
    public var patternDoubleQuoted: Bool
}
