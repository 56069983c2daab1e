import DmesgScan

/// `--since` / `--until`: boots whose wall-clock span meets the window, with only the
/// findings inside it (a finding without a time of its own stays with its boot). A boot
/// without wall-clock times cannot be placed, so it is left out and counted, to be named.
struct TimeWindowPicker {
    let since: Double?
    let until: Double?
    /// Boots of the current input left out because they show no wall-clock time.
    private(set) var unplaced = 0

    init(since: Double?, until: Double?) {
        self.since = since
        self.until = until
    }

    private func contains(_ seconds: Double) -> Bool {
        (since.map { seconds >= $0 } ?? true) && (until.map { seconds <= $0 } ?? true)
    }

    mutating func take(_ boot: BootResult) -> BootResult? {
        guard let startText = boot.wallClockStart, let start = WallClock.unixSeconds(iso: startText) else {
            unplaced += 1
            return nil
        }
        let end = boot.wallClockEnd.flatMap { WallClock.unixSeconds(iso: $0) } ?? start
        if let since, end < since { return nil }
        if let until, start > until { return nil }
        var kept = boot
        kept.findings = boot.findings.filter { finding in
            guard let text = finding.wallClock, let seconds = WallClock.unixSeconds(iso: text) else { return true }
            return contains(seconds)
        }
        return kept
    }

    /// At the end of an input: how many of its boots could not be placed (then zero again).
    mutating func finishInput() -> Int {
        defer { unplaced = 0 }
        return unplaced
    }
}
