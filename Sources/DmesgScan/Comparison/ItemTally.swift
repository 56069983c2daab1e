/// One item on one side of a comparison: the boots that showed it (each once), how often it
/// was printed, where it was seen first, and on which kernels.
public struct ItemTally: Sendable {
    public var boots = 0
    public var occurrences = 0
    public var level = Level.debug
    public var rule = ""
    /// The smallest input path showing it, by name (as the scan totals choose).
    public var firstInput = ""
    public var kernels = Set<String>()
    /// Keys of the inputs showing it (see `SideTally.key`).
    public var inputKeys = Set<String>()
    /// Enforced failures among the boots (for invariants).
    public var enforced = 0
    /// The known-issues mark of its first known occurrence.
    public var known: KnownMark?
    /// Boots in which it was not known.
    public var unknownBoots = 0

    public init() {}
}
