/// A node_exporter textfile: the last scan as gauges (a snapshot per run, not counters that
/// only grow), with a zero for every shipped invariant, verdict and warning-level rule so
/// that alerts have a baseline, and `--label`s on every series so that two producers' files
/// in one textfile directory never collide.
public struct PrometheusText {
    public var version: String
    public var rulesDigest: String
    public var scanTimeSeconds: Int
    public var labels: [(String, String)]

    public init(version: String, rulesDigest: String, scanTimeSeconds: Int, labels: [(String, String)]) {
        self.version = version
        self.rulesDigest = rulesDigest
        self.scanTimeSeconds = scanTimeSeconds
        self.labels = labels
    }

    /// `verdicts` counts boots by invariant, verdict and whether the kernel enforces it.
    public func document(_ totals: ArchiveTotals, rules: RuleSet, verdicts: [VerdictKey: Int]) -> String {
        var out = ""
        func family(_ name: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
        }
        func sample(_ name: String, _ pairs: [(String, String)], _ value: Int) {
            let all = pairs + labels
            let body = all.isEmpty ? "" : "{" + all.map { "\($0.0)=\"\(PrometheusText.label($0.1))\"" }.joined(separator: ",") + "}"
            out += "\(name)\(body) \(value)\n"
        }
        family("dmesgscan_build_info", "dmesgscan's version and the digest of the rules the scan ran with (always 1).")
        sample("dmesgscan_build_info", [("version", version), ("rules_digest", rulesDigest)], 1)
        family("dmesgscan_last_scan_timestamp_seconds", "When the scan that wrote this file ran (Unix time).")
        sample("dmesgscan_last_scan_timestamp_seconds", [], scanTimeSeconds)

        family("dmesgscan_findings", "Findings in the last scan, by rule and level (zero for every rule at warning or above that found nothing); without those a known-issues file lists.")
        var findings: [String: [String: Int]] = [:]
        for rule in rules.rules where rule.level >= .warning { findings[rule.id, default: [:]][rule.level.rawValue] = 0 }
        for (rule, levels) in totals.rules {
            for (level, count) in levels { findings[rule, default: [:]][level] = count }
        }
        for (rule, levels) in findings.sorted(by: { $0.key < $1.key }) {
            for (level, count) in levels.sorted(by: { $0.key < $1.key }) { sample("dmesgscan_findings", [("rule", rule), ("level", level)], count) }
        }

        if let known = totals.knownIssues {
            family("dmesgscan_known_findings", "Findings in the last scan that the known-issues file lists, by rule and level.")
            for (rule, levels) in totals.knownRules.sorted(by: { $0.key < $1.key }) {
                for (level, count) in levels.sorted(by: { $0.key < $1.key }) { sample("dmesgscan_known_findings", [("rule", rule), ("level", level)], count) }
            }
            family("dmesgscan_known_issue_entries", "Entries of the known-issues file, by state: stale (matched nothing in the last scan), expired, or in use.")
            let inUse = known.entries - known.stale.count - known.expired.count
            for (state, count) in [("expired", known.expired.count), ("in_use", inUse), ("stale", known.stale.count)] {
                sample("dmesgscan_known_issue_entries", [("state", state)], count)
            }
        }

        family("dmesgscan_invariant_verdicts", "Boots in the last scan by invariant verdict; enforced=\"false\" where the kernel does not enforce the invariant (an expected failure).")
        var all = verdicts
        for invariant in rules.invariants {
            for outcome in InvariantVerdict.Outcome.allCases {
                for enforced in [false, true] { all[VerdictKey(invariant: invariant.id, outcome: outcome, enforced: enforced), default: 0] += 0 }
            }
        }
        for (key, count) in all.sorted(by: { $0.key < $1.key }) {
            sample("dmesgscan_invariant_verdicts", [("invariant", key.invariant), ("verdict", key.outcome.rawValue), ("enforced", String(key.enforced))], count)
        }

        family("dmesgscan_inputs", "Inputs in the last scan, by status (ok, partial, error).")
        for status in ["ok", "partial", "error"] { sample("dmesgscan_inputs", [("status", status)], totals.status[status] ?? 0) }
        family("dmesgscan_boots", "Boots in the last scan.")
        sample("dmesgscan_boots", [], totals.boots)
        return out
    }

    public struct VerdictKey: Hashable, Comparable, Sendable {
        public var invariant: String
        public var outcome: InvariantVerdict.Outcome
        public var enforced: Bool

        public static func < (a: VerdictKey, b: VerdictKey) -> Bool {
            (a.invariant, a.outcome.rawValue, a.enforced ? 1 : 0) < (b.invariant, b.outcome.rawValue, b.enforced ? 1 : 0)
        }
    }

    static func label(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}
