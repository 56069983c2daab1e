/// A new run compared with a baseline, item by item (every title and every invariant's
/// failures, counted in boots).
///
/// - An item is **new** when no baseline boot showed it, **gone** when no new boot does, and
///   otherwise **more often**, **less often** or **unchanged** by its rate in boots.
/// - A rate change counts only when Fisher's exact test (one-sided, boots with and without the
///   item on each side) gives p < alpha: 7 of 20 against 0 of 20 is a change (p = 0.004);
///   1 of 20 against 0 of 20 is not (p = 0.5), and the new item is reported as possibly flaky.
/// - A new item needs no test when the baseline could not have told: every input showing it is
///   one the baseline did not run (by its path under the side's folder), or the sides are too
///   small for any count to reach alpha (one boot against one boot).
/// - A regression is a supported new or more-often item at or above the fail level that the
///   known-issues file does not list.
public struct RunComparison: Sendable {
    public var baseline: SideTally
    public var new: SideTally
    public var alpha: Double
    public var failLevel: Level
    public var items: [ComparedItem]

    public init(baseline: SideTally, new: SideTally, alpha: Double = 0.05, failLevel: Level = .warning) {
        self.baseline = baseline
        self.new = new
        self.alpha = alpha
        self.failLevel = failLevel
        let keys = Set(baseline.items.keys).union(new.items.keys).sorted()
        items = keys.map { RunComparison.compare($0, baseline: baseline, new: new, alpha: alpha, failLevel: failLevel) }
    }

    public var regressions: [ComparedItem] { items.filter(\.regression) }

    public func items(_ change: ComparedItem.Change) -> [ComparedItem] { items.filter { $0.change == change } }

    static func compare(_ key: ComparisonKey, baseline: SideTally, new: SideTally, alpha: Double, failLevel: Level) -> ComparedItem {
        let before = baseline.items[key] ?? ItemTally()
        let after = new.items[key] ?? ItemTally()
        let (a, n1, b, n0) = (after.boots, new.boots(for: key), before.boots, baseline.boots(for: key))
        let level = max(before.level, after.level)
        var item = ComparedItem(key: key, change: .unchanged, level: level, baseline: before, new: after, pValue: nil,
                                supported: false, possiblyFlaky: false, reason: "", regression: false, known: nil)
        let up = FisherExactTest.pGreater(a: a, n1: n1, b: b, n0: n0)
        let down = FisherExactTest.pLess(a: a, n1: n1, b: b, n0: n0)
        // Could any count on the new side have reached alpha against this baseline?
        let canTell = n1 > 0 && n0 > 0 && FisherExactTest.pGreater(a: n1, n1: n1, b: 0, n0: n0) < alpha
        switch (b, a) {
        case (0, _):
            item.change = .new
            item.pValue = up
            // One input on each side is the same input run twice, whatever the files are called.
            let oneEach = baseline.inputs == 1 && new.inputs == 1
            let unseenInputs = !oneEach && after.inputKeys.isDisjoint(with: baseline.inputKeys)
            if up < alpha {
                item.supported = true
                item.reason = "\(a) of \(n1) boots against none of \(n0) (p = \(format(up)))"
            } else if unseenInputs {
                item.supported = true
                item.reason = "only in inputs the baseline did not run"
            } else if !canTell {
                item.supported = true
                item.reason = "too few boots to weigh: \(a) of \(n1) against none of \(n0)"
            } else {
                item.possiblyFlaky = true
                item.reason = "possibly flaky: \(a) of \(n1) boots against none of \(n0) could be chance (p = \(format(up)))"
            }
        case (_, 0):
            item.change = .gone
            item.pValue = down
            let canTellGone = n1 > 0 && n0 > 0 && FisherExactTest.pLess(a: 0, n1: n1, b: n0, n0: n0) < alpha
            item.supported = down < alpha || !canTellGone
            item.possiblyFlaky = !item.supported
            item.reason = item.supported
                ? "none of \(n1) boots against \(b) of \(n0)" + (down < alpha ? " (p = \(format(down)))" : "")
                : "possibly flaky: none of \(n1) boots against \(b) of \(n0) could be chance (p = \(format(down)))"
        default:
            let rateAfter = Double(a) / Double(max(n1, 1))
            let rateBefore = Double(b) / Double(max(n0, 1))
            if rateAfter > rateBefore && up < alpha {
                item.change = .moreOften
                item.pValue = up
                item.supported = true
                item.reason = "\(a) of \(n1) boots against \(b) of \(n0) (p = \(format(up)))"
            } else if rateAfter < rateBefore && down < alpha {
                item.change = .lessOften
                item.pValue = down
                item.supported = true
                item.reason = "\(a) of \(n1) boots against \(b) of \(n0) (p = \(format(down)))"
            } else {
                item.pValue = rateAfter == rateBefore ? nil : rateAfter > rateBefore ? up : down
                item.reason = "\(a) of \(n1) boots against \(b) of \(n0)" + (item.pValue.map { ", within chance (p = \(format($0)))" } ?? "")
            }
        }
        // Known only when every new boot that showed it was known.
        if a > 0 && after.unknownBoots == 0 { item.known = after.known }
        let worse = item.change == .new || item.change == .moreOften
        item.regression = worse && item.supported && level >= failLevel && item.known == nil
        return item
    }

    /// `0.0042`, `0.50`, `<0.0001`.
    public static func format(_ p: Double) -> String {
        p < 0.0001 ? "<0.0001" : DecimalText.fixed(p, p < 0.01 ? 4 : 2)
    }
}
