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
}
