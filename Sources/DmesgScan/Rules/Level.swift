/// How serious a finding or verdict is. One vocabulary in every output: debug, info,
/// notice, warning, error, critical.
public enum Level: String, Sendable, Comparable, CaseIterable {
    case debug, info, notice, warning, error, critical

    private var rank: Int { Level.allCases.firstIndex(of: self)! }
    public static func < (a: Level, b: Level) -> Bool { a.rank < b.rank }

    /// A level as people write it: these names, the kernel's and syslog's (`err`, `crit`,
    /// `warn`, `emerg`, `alert`) or a syslog number 0-7, in any case.
    public init?(name: String) {
        let lowered = name.lowercased()
        if let level = Level(rawValue: lowered) {
            self = level
            return
        }
        switch lowered {
        case "err", "3": self = .error
        case "crit", "emerg", "alert", "0", "1", "2": self = .critical
        case "warn", "4": self = .warning
        case "5": self = .notice
        case "6": self = .info
        case "7": self = .debug
        default: return nil
        }
    }
}
