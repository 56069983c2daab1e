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
    public enum BootRole: String, Sendable {
        case start, userspace, panic
        /// Names the running release (its `release` capture) without starting a boot: the
        /// kernel version of a log cut before its banner (`CPU: 0 PID: 1 ... Not tainted 6.8.0 #1`).
        case release
    }
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
        /// Where a lock was taken (lockdep's `(&lock){+.+.}, at: func+0x..`).
        case lock
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

    /// The line shows that the boot reached a phase (`phase:`), as a timeline draws it.
    public struct PhaseMark: Sendable {
        public var name: String
        public var kernel: VersionRange?
        /// The last line of the rule places the phase (every NUMA node that defers pages
        /// prints one line when it is done), not the first.
        public var atLast: Bool
        /// A capture that holds the phase's own duration in ms (`deferred … in 38ms`), and
        /// the word the text output puts before it.
        public var durationField: String?
        public var durationLabel: String?
    }

    public struct Example: Sendable {
        public var line: String
        public var shouldMatch: Bool
        public var fields: [String: String]
        public var location: SourceLocation
    }

    public var id: String
    public var title: String
    /// The title when a capture `title` needs is absent (`title_fallback:`), for banners whose
    /// report comes in two layouts.
    public var titleFallback: String?
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
    public var phases: [PhaseMark] = []
    /// The line shows the kernel's taint flags (`Tainted: G        W`) in the `taint`
    /// capture; a match without it (`Not tainted`) means none.
    public var taint = false
    /// The line says that log lines were lost (suppressed, dropped): the `count` capture,
    /// when the line gives one.
    public var lostLines = false
    /// A line naming a NUMA node the boot has (`Initmem setup node N`…): the `node` capture.
    public var numaNode: Bool
    /// Among report starts on one line, the highest priority wins (specific titles over generic).
    public var priority: Int
    /// A banner that continues the open report instead of starting one (`joins_open:`), like
    /// the panic that panic_on_warn raises after a WARNING.
    public var joinsOpen: Bool
    /// How many lines a report of this rule may have before its call trace starts.
    public var maxLines: Int?
    /// The 0-day robot style id template (`WARNING:at_{file}{func}`); captures have digits
    /// turned to `#` and spaces to `_`. When absent it is derived from the banner line.
    public var lkp: String?
    /// How a banner's guilty frame is found (`stack:`, `stack_skip:`, `stack_extractor:`,
    /// `stack_anchors:`).
    public var stack: StackSpec
    public var tags: [String]
    public var examples: [Example]
    /// Where the pattern is: file, line and column of its first character.
    public var location: SourceLocation
    /// The pattern was written in a double-quoted YAML string, where `\d` is a YAML escape.
    public var patternDoubleQuoted: Bool
}

/// A banner rule's frame search as written. A class, so that copying a `Rule` (which the
/// per-event paths do) costs one reference, not four arrays.
public final class StackSpec: Sendable {
    /// Where the guilty frame is looked for, in order; empty: the RIP, then the call trace.
    public let steps: [StackStep]
    /// Frames this report class never blames, besides the global `guilty_frame_skip:`.
    public let skip: [String]
    /// How the guilty frame is picked from the candidates.
    public let extractor: StackExtractor
    /// For the `hang` extractor: frames that name the hang wherever they are.
    public let anchors: [AnchorFrame]

    public init(steps: [StackStep] = [], skip: [String] = [], extractor: StackExtractor = .first, anchors: [AnchorFrame] = []) {
        self.steps = steps
        self.skip = skip
        self.extractor = extractor
        self.anchors = anchors
    }
}

/// One step of a report's frame search. Each step starts where the previous one stopped.
public enum StackStep: Sendable, Equatable {
    /// The banner's own `func` capture.
    case banner
    /// The next faulting-instruction line (`RIP:`, `IP:`, `PC is at`, `pc :`).
    case rip
    /// The functions that took the locks a lockdep report names (its `at:` lines).
    case locks
    /// The call-trace frames from here on.
    case trace
    /// Moves past the next line matching the pattern (e.g. the end of an interrupt stack);
    /// when none follows, the search stays where it was.
    case after(String)
}

/// How the guilty frame is chosen among the frames the steps found (skipped ones removed).
public enum StackExtractor: String, Sendable {
    /// The first candidate.
    case first
    /// Stalls and lockups loop somewhere below a dispatcher: the frame just above the first
    /// `stall_anchor_frames:` match (syscall entry, work and timer dispatch).
    case stall
    /// Hangs show up on victims' stacks: the first frame matching one of the class's
    /// `stack_anchors:` names the hang (grouping e.g. every wait on RCU); else the first
    /// candidate.
    case hang
}

/// A frame pattern that anchors a stall or hang, with the name to use when it matches
/// (`{match: 'synchronize_(rcu|srcu)', name: synchronize_rcu}`); a plain pattern names the
/// frame above it for stalls, or itself for hangs.
public struct AnchorFrame: Sendable {
    public var pattern: String
    public var name: String?
}
