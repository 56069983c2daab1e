/// A node_exporter textfile: findings by rule and level, invariant verdicts, inputs by status.
public enum PrometheusText {
    public static func document(_ totals: ArchiveTotals) -> String {
        var out = ""
        out += "# HELP dmesgscan_findings_total Findings in the scanned kernel logs, by rule and level.\n"
        out += "# TYPE dmesgscan_findings_total counter\n"
        for (rule, levels) in totals.rules.sorted(by: { $0.key < $1.key }) {
            for (level, count) in levels.sorted(by: { $0.key < $1.key }) {
                out += "dmesgscan_findings_total{rule=\"\(label(rule))\",level=\"\(label(level))\"} \(count)\n"
            }
        }
        out += "# HELP dmesgscan_invariant_verdicts_total Boot-order invariant verdicts, by invariant and verdict.\n"
        out += "# TYPE dmesgscan_invariant_verdicts_total counter\n"
        for (id, counts) in totals.verdicts.sorted(by: { $0.key < $1.key }) {
            for (verdict, count) in counts.sorted(by: { $0.key < $1.key }) {
                out += "dmesgscan_invariant_verdicts_total{invariant=\"\(label(id))\",verdict=\"\(label(verdict))\"} \(count)\n"
            }
        }
        out += "# HELP dmesgscan_inputs_total Inputs scanned, by status (ok, partial, error).\n"
        out += "# TYPE dmesgscan_inputs_total counter\n"
        for status in ["ok", "partial", "error"] {
            out += "dmesgscan_inputs_total{status=\"\(status)\"} \(totals.status[status] ?? 0)\n"
        }
        return out
    }

    static func label(_ value: String) -> String {
        value.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n")
    }
}
