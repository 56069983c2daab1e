/// One title or invariant compared between a baseline and a new run.
public struct ComparedItem: Sendable {
    public enum Change: String, Sendable, CaseIterable {
        case new, moreOften = "more_often", lessOften = "less_often", gone, unchanged
    }

    public var key: ComparisonKey
    public var change: Change
    public var level: Level
    public var baseline: ItemTally
    public var new: ItemTally
    /// One-sided Fisher p-value in the direction of the change (nil when nothing changed).
    public var pValue: Double?
    /// The change is statistically supported, or needs no weighing (see `RunComparison`).
    public var supported: Bool
    /// A new or gone item whose rate change the boots do not support.
    public var possiblyFlaky: Bool
    /// Why it was classed so, in words.
    public var reason: String
    /// It fails the comparison: new or more often, supported, at or above the fail level,
    /// and not listed as known.
    public var regression: Bool
    /// The known-issues mark, when every new boot that showed it was known.
    public var known: KnownMark?
}
