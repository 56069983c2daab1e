/// Decides whether a scan's results should fail a CI job (exit status 1).
public struct FailPolicy: Sendable {
    public var level: Level

    public init(level: Level = .warning) { self.level = level }

    /// A finding at or above `level`, or an invariant failure at or above it. Unenforced
    /// failures carry the invariant's low `level_unenforced`, so they count only when asked.
    /// What a known-issues file lists never fails a run.
    public func fails(_ boot: BootResult) -> Bool {
        boot.findings.contains { $0.level >= level && $0.known == nil }
            || boot.droppedFindings.contains { $0.level >= level && $0.known == nil }
            || boot.invariants.contains { $0.outcome == .fail && $0.level >= level && $0.known == nil }
    }
}
