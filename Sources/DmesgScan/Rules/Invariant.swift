/// An ordering check declared in a rule file: an event must come after a milestone of the
/// boot. The engine evaluates it without knowing what it is about.
public struct Invariant: Sendable {
    /// Selects events: a rule id and exact field values.
    public struct EventSelector: Sendable {
        public var rule: String
        public var fields: [String: String]
    }
    /// A report that shows the event was attempted and refused: it holds an event of
    /// `rule` and, when given, a call-trace frame named `frame`.
    public struct Refusal: Sendable {
        public var rule: String
        public var frame: String?
    }

    public var id: String
    public var title: String
    public var event: EventSelector
    /// The milestone the event must follow.
    public var after: String
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
