/// The stages a line passes through, in order (`InputScanner.lastStage` stops after one).
public enum PipelineStage: Int, Comparable, CaseIterable, Sendable {
    /// Decoding and splitting into lines.
    case lines
    /// Prefix parsing: timestamps, levels, callers.
    case records
    /// Rule matching.
    case rules
    /// Boot splitting and report grouping.
    case reports
    /// Findings and invariant verdicts per boot.
    case ordering

    public static func < (a: PipelineStage, b: PipelineStage) -> Bool { a.rawValue < b.rawValue }
}
