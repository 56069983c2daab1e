/// The outcome of one invariant in one boot.
public struct InvariantVerdict: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        case pass, fail, notApplicable = "not_applicable", unknown
    }
    public struct Evidence: Sendable {
        /// The rule id of the line (the event, an anchor, a refusal).
        public var event: String
        /// Why it is evidence: `event`, `anchor-after`, `anchor-before`, `refusal`, `frame`, `hazard`.
        public var role: String
        public var line: Int
        public var timestamp: Double?
        public var text: String
        /// The boot phase the line falls in.
        public var phase: String?
    }

    public var id: String
    public var title: String
    public var outcome: Outcome
    public var enforced: Bool
    public var level: Level
    public var message: String
    /// The boot deferred struct-page init, so an early free here could fault on a kernel
    /// that frees for real (set on unenforced failures only).
    public var latentHazard: Bool
    public var evidence: [Evidence]
    /// Indices into the boot's findings that this verdict explains.
    public var relatedFindings: [Int]
    /// NUMA nodes the boot showed and those that printed a deferred-pages line.
    public var nodesSeen: [Int] = []
    public var nodesDeferred: [Int] = []
    /// The known-issues entry that lists this failure (`--known`), if any.
    public var known: KnownMark?
    /// The log says lines were lost between its evidence lines.
    public var possiblyIncomplete = false
}
