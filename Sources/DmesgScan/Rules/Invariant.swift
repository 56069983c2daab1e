/// An ordering check declared in a rule file: an event must come after a milestone of the
/// boot. The engine evaluates it without knowing what it is about.
public struct Invariant: Sendable {
    /// Selects events: a rule id and field values (exact, or a regex written `/…/`), or
    /// reports whose title matches a regex (`title:`; the event is the report's banner line).
    public struct EventSelector: Sendable {
        public var rule: String?
        public var title: String?
        public var fields: [String: String]
    }

    /// What the invariant checks.
    public enum Kind: String, Sendable {
        /// The event must come after (`after:`) or before (`before:`) a milestone.
        case order
        /// The event must not happen at all; each occurrence fails.
        case never
        /// The boot must reach a stage (`reach: userspace`) unless it panicked.
        case reach
    }

    /// Reports an early event can explain: by a frame in their call trace or by rule.
    public struct Explains: Sendable {
        public var frames: [String]
        public var rules: [String]
    }
    /// A report that shows the event was attempted and refused: it holds an event of
    /// `rule` and, when given, a call-trace frame named `frame`.
    public struct Refusal: Sendable {
        public var rule: String
        public var frame: String?
    }

    public var id: String
    public var title: String
    public var kind: Kind
    public var event: EventSelector?
    /// The milestone the event must follow (`after:`) or precede (`before:`).
    public var milestone: String?
    public var mustPrecede: Bool
    /// For `reach`: the stage (`userspace`).
    public var reach: String?
    /// For `never`: frames skipped when naming the caller in the report's trace (regex).
    public var callerSkip: String?
    public var explains: Explains?
    public var kernel: VersionRange?
    public var refusedBy: Refusal?
    /// Kernels on which the order is required.
    public var enforcedKernel: VersionRange?
    /// A refusal makes the verdict enforced whatever the kernel version.
    public var enforcedWhenRefused: Bool
    public var level: Level
    public var unenforcedLevel: Level
    /// An event of one of these rules in a failing, unenforced boot flags a latent hazard.
    public var hazardRules: [String]
    public var messages: [String: String]
    public var location: SourceLocation
}
