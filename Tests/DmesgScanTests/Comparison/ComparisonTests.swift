import DmesgScan
import Testing

/// Fisher's exact test and the classes of `RunComparison`, on counts made up to sit on each
/// side of each rule.
@Suite("Comparison: rates, classes and regressions")
struct ComparisonTests {
    @Test func fisherMatchesTheHypergeometricTail() {
        // 7 of 20 against 0 of 20: C(20,7) / C(40,7).
        #expect(abs(FisherExactTest.pGreater(a: 7, n1: 20, b: 0, n0: 20) - 77_520.0 / 18_643_560.0) < 1e-9)
        #expect(abs(FisherExactTest.pGreater(a: 1, n1: 20, b: 0, n0: 20) - 0.5) < 1e-9)
        #expect(abs(FisherExactTest.pLess(a: 0, n1: 20, b: 7, n0: 20) - 77_520.0 / 18_643_560.0) < 1e-9)
        #expect(abs(FisherExactTest.pGreater(a: 0, n1: 20, b: 5, n0: 20) - 1) < 1e-9)
        let big = FisherExactTest.pGreater(a: 5_000, n1: 10_000, b: 4_800, n0: 10_000)
        #expect(big > 0 && big < 0.01)
    }

    /// A side of `boots` boots over inputs `input-0…`, the first `showing` of them showing `title`.
    func side(boots: Int, showing: Int, title: String = "WARNING in foo", level: Level = .warning, inputs prefix: String = "input") -> SideTally {
        var side = SideTally()
        for index in 0..<boots {
            var digest = BootDigest(kernel: "6.12.0")
            if index < showing { digest.titles = [BootDigest.Title(title: title, rule: "r", level: level, count: 3, known: nil)] }
            let key = "\(prefix)-\(index).log"
            side.addInput(key: key, error: false)
            side.add(digest, input: "dir/" + key, key: key)
        }
        return side
    }

    func only(_ comparison: RunComparison) -> ComparedItem? { comparison.items.first }

    @Test func aNewTitleInManyBootsIsARegression() throws {
        let item = try #require(only(RunComparison(baseline: side(boots: 20, showing: 0), new: side(boots: 20, showing: 7))))
        #expect(item.change == .new && item.supported && item.regression && !item.possiblyFlaky)
        #expect(item.new.boots == 7 && item.new.occurrences == 21)
    }

    @Test func aNewTitleInOneBootOfTwentyIsPossiblyFlaky() throws {
        let item = try #require(only(RunComparison(baseline: side(boots: 20, showing: 0), new: side(boots: 20, showing: 1))))
        #expect(item.change == .new && item.possiblyFlaky && !item.regression)
        #expect(item.reason.contains("could be chance"))
    }

    @Test func whatTheBaselineCouldNotHaveSeenNeedsNoTest() throws {
        // One boot against one boot: no count can reach alpha, so a new title is new.
        let tiny = try #require(only(RunComparison(baseline: side(boots: 1, showing: 0), new: side(boots: 1, showing: 1, inputs: "other"))))
        #expect(tiny.regression && tiny.reason.contains("too few boots"))
        // A title only in inputs the baseline did not run (crash logs added to a set).
        var added = side(boots: 20, showing: 0)
        let crash = side(boots: 1, showing: 1, inputs: "crash")
        for (key, tally) in crash.items { added.items[key] = tally }
        added.boots += 1
        added.addInput(key: "crash-0.log", error: false)
        let item = try #require(only(RunComparison(baseline: side(boots: 20, showing: 0), new: added)))
        #expect(item.regression && item.reason == "only in inputs the baseline did not run")
    }

    @Test func ratesChangeOnlyWhenTheTestSupportsIt() throws {
        let more = try #require(only(RunComparison(baseline: side(boots: 20, showing: 3), new: side(boots: 20, showing: 15))))
        #expect(more.change == .moreOften && more.regression)
        let same = try #require(only(RunComparison(baseline: side(boots: 20, showing: 3), new: side(boots: 20, showing: 5))))
        #expect(same.change == .unchanged && !same.regression && same.reason.contains("within chance"))
        let less = try #require(only(RunComparison(baseline: side(boots: 20, showing: 15), new: side(boots: 20, showing: 3))))
        #expect(less.change == .lessOften && !less.regression)
        let gone = try #require(only(RunComparison(baseline: side(boots: 20, showing: 12), new: side(boots: 20, showing: 0))))
        #expect(gone.change == .gone && gone.supported && !gone.regression)
    }

    @Test func belowTheFailLevelOrKnownIsNoRegression() throws {
        let info = try #require(only(RunComparison(baseline: side(boots: 20, showing: 0), new: side(boots: 20, showing: 9, level: .info))))
        #expect(info.change == .new && info.supported && !info.regression)
        var known = side(boots: 20, showing: 9)
        for key in known.items.keys {
            known.items[key]!.known = KnownMark(entry: "known.yml:2", reason: "vendor bug", link: nil)
            known.items[key]!.unknownBoots = 0
        }
        let item = try #require(only(RunComparison(baseline: side(boots: 20, showing: 0), new: known)))
        #expect(item.known?.reason == "vendor bug" && !item.regression)
    }

    @Test func inputKeysPairRunsByTheirPathUnderTheSide() {
        #expect(SideTally.key("nightly/2026-11-30/board7.log", under: "nightly/2026-11-30") == "board7.log")
        #expect(SideTally.key("nightly/2026-11-30/lab/board7.log", under: "nightly/2026-11-30/") == "lab/board7.log")
        #expect(SideTally.key("/abs/one.log", under: nil) == "one.log")
        #expect(SideTally.commonFolder(["a/b/x.log", "a/b/c/y.log"]) == "a/b/")
        #expect(SideTally.commonFolder(["x.log", "y.log"]) == nil)
    }
}
