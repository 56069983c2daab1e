/// Something worth a person's attention in a boot: a grouped report, or a single line
/// matched by a rule at `warning` level or above.
public struct Finding: Sendable {
    public var rule: String
    public var title: String
    public var level: Level
    public var line: Int
    public var endLine: Int
    public var timestamp: Double?
    public var wallClock: String?
    public var host: String?
    public var fields: [String: String]
    public var excerpt: Excerpt
    public var frames: [String]
    public var guiltyFrame: String?
    public var signature: String
    public var lkpID: String
    public var corrupted: Bool
    public var complete: Bool
    /// Ids of the invariants whose verdicts this finding relates to.
    public var invariants: [String]
    /// The known-issues entry that lists it (`--known`), if any.
    public var known: KnownMark?
    /// The boot phase its first line falls in.
    public var phase: String?
    /// The log says lines were lost inside it (a suppressed or dropped-messages notice).
    public var possiblyIncomplete = false
}
