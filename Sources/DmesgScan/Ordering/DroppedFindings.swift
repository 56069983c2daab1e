/// Findings of one title that a boot counted but did not keep, because it reached its limit
/// (a kernel that warns in a loop, a `--follow` run that lasts for months).
public struct DroppedFindings: Sendable {
    public var title: String
    public var rule: String
    public var level: Level
    public var count: Int
    public var known: KnownMark?

    public init(title: String, rule: String, level: Level, count: Int) {
        self.title = title
        self.rule = rule
        self.level = level
        self.count = count
    }
}
