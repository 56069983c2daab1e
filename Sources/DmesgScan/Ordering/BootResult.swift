/// The analysis of one boot: how far it got, its findings and its invariant verdicts.
public struct BootResult: Sendable {
    public enum Reached: String, Sendable { case userspace, kernel, truncated, panic }

    public var index: Int
    public var kernel: KernelVersion?
    public var architecture: String?
    public var firstLine: Int
    public var lastLine: Int
    public var reached: Reached
    public var findings: [Finding]
    public var invariants: [InvariantVerdict]
    /// Findings over the boot's limit, counted by title (empty in all but runaway boots).
    public var droppedFindings: [DroppedFindings] = []
    /// Wall-clock span of the boot, where its records show one (see `BootLog`).
    public var wallClockStart: String?
    public var wallClockEnd: String?
    /// Phases, taint changes and lost lines.
    public var timeline = BootTimeline()
}

extension BootResult {
    /// The boot's findings grouped by title, in the order each title first appears: the
    /// outputs show a title printed many times in one boot once, with its count.
    public var findingsByTitle: [(title: String, findings: [Finding])] {
        var order: [String] = []
        var byTitle: [String: [Finding]] = [:]
        for f in findings {
            if byTitle[f.title] == nil { order.append(f.title) }
            byTitle[f.title, default: []].append(f)
        }
        return order.map { ($0, byTitle[$0]!) }
    }
}
