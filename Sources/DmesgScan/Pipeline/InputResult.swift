/// What scanning one input produced, including how much of it was read.
public struct InputResult: Sendable {
    public enum Status: String, Sendable { case ok, partial, error }

    /// The input's name: a path, `<stdin>`, or `archive.tar.gz:member/path` for archive members.
    public var path: String
    public var status: Status
    public var error: InputError?
    public var lines: Int
    /// Lines that look like kernel log records: a known prefix, or a line a rule matched.
    /// Zero on a non-empty input means it is probably not a kernel log at all.
    public var kernelRecords = 0
    public var bytes: Int
    /// The input's boots, when the scanner keeps them (`InputScanner.keepBoots`); a streaming
    /// run hands each to `onBoot` instead and keeps only `bootCount`.
    public var boots: [BootResult]
    public var bootCount = 0
    /// Lines on which a rule hit a PCRE2 limit: (rule id, line, PCRE2 error code).
    public var ruleFailures: [(rule: String, line: Int, code: Int32)]
    public var cutLines: Int

    static func failed(_ path: String, _ error: InputError) -> InputResult {
        InputResult(path: path, status: .error, error: error, lines: 0, bytes: 0, boots: [], ruleFailures: [], cutLines: 0)
    }
}
