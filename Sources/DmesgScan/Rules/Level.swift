/// How serious a finding or verdict is. Ordered: `debug` < … < `critical`.
public enum Level: String, Sendable, Comparable, CaseIterable {
    case debug, info, notice, warning, error, critical

    private var rank: Int { Level.allCases.firstIndex(of: self)! }
    public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }

    /// The kernel/syslog name of the level (`err`, `warn`, ...).
    public var syslogName: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "err"
        case .critical: return "crit"
        }
    }
}
