/// One NDJSON line per finding, invariant verdict and boot summary, with Elastic Common
/// Schema names (`@timestamp`, `message`, `event.kind`, `rule.id`, `log.level`, …), the
/// kernel's own fields under `kernel.`, and an OpenTelemetry `severity_number`.
public enum NDJSONEvent {
    public static let ecsVersion = "8.11.0"

    /// OpenTelemetry severity numbers: debug 5, info 9, notice 10, warning 13, err 17, crit 21.
    public static func severityNumber(_ level: Level) -> Int {
        switch level {
        case .debug: return 5
        case .info: return 9
        case .notice: return 10
        case .warning: return 13
        case .error: return 17
        case .critical: return 21
        }
    }

    static func common(message: String, kind: String, level: Level, input: String, wallClock: String?) -> [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = []
        if let wallClock { pairs.append(("@timestamp", .string(wallClock))) }
        pairs += [
            ("ecs.version", .string(ecsVersion)),
            ("message", .string(message)),
            ("event", .object([
                ("kind", .string(kind)), ("dataset", .string("kernel.dmesg")), ("module", .string("dmesgscan")),
                ("severity", .int(severityNumber(level))),
            ])),
            ("log", .object([("level", .string(level.syslogName)), ("file", .object([("path", .string(input))]))])),
        ]
        return pairs
    }

    public static func finding(_ f: Finding, input: String, boot: Int, kernel: KernelVersion?, ruleName: String, rulesDigest: String) -> JSONValue {
        var pairs = common(message: f.title, kind: "alert", level: f.level, input: input, wallClock: f.wallClock)
        pairs.append(("rule", .object([
            ("id", .string(f.rule)), ("name", .string(ruleName)), ("category", .string("report")),
            ("ruleset", .string("dmesgscan@" + rulesDigest)),
        ])))
        if let host = f.host { pairs.append(("host", .object([("name", .string(host))]))) }
        var kernelFields: [(String, JSONValue)] = [
            ("version", kernel.map { .string($0.release) } ?? .null), ("boot", .int(boot)),
            ("line", .int(f.line)), ("end_line", .int(f.endLine)),
            ("uptime_s", f.timestamp.map { .double($0) } ?? .null),
            ("signature", .string(f.signature)), ("lkp_id", .string(f.lkpID)),
            ("guilty_frame", f.guiltyFrame.map { .string($0) } ?? .null),
            ("frames", .array(f.frames.map { .string($0) })),
            ("fields", .object(f.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]
        if !f.invariants.isEmpty { kernelFields.append(("invariants", .array(f.invariants.map { .string($0) }))) }
        pairs.append(("kernel", .object(kernelFields)))
        pairs.append(("severity_number", .int(severityNumber(f.level))))
        return .object(pairs)
    }

    public static func verdict(_ v: InvariantVerdict, boot: BootResult, findings: [Finding], input: String, rulesDigest: String) -> JSONValue {
        let kind = v.outcome == .fail ? "alert" : "event"
        let wallClock = findings.first?.wallClock
        var pairs = common(message: v.message, kind: kind, level: v.level, input: input, wallClock: wallClock)
        let outcome: String
        switch v.outcome {
        case .pass: outcome = "success"
        case .fail: outcome = "failure"
        case .unknown, .notApplicable: outcome = "unknown"
        }
        if case .object(var event) = pairs.first(where: { $0.0 == "event" })!.1 {
            event.append(("outcome", .string(outcome)))
            pairs = pairs.map { $0.0 == "event" ? ("event", .object(event)) : $0 }
        }
        pairs.append(("rule", .object([
            ("id", .string(v.id)), ("name", .string(v.title)), ("category", .string("invariant")),
            ("ruleset", .string("dmesgscan@" + rulesDigest)),
        ])))
        pairs.append(("kernel", .object([
            ("version", boot.kernel.map { .string($0.release) } ?? .null), ("boot", .int(boot.index)),
            ("verdict", .string(v.outcome.rawValue)), ("enforced", .bool(v.enforced)), ("latent_hazard", .bool(v.latentHazard)),
            ("evidence", .array(v.evidence.map { .object([("role", .string($0.role)), ("line", .int($0.line)), ("text", .string($0.text))]) })),
            ("related_lines", .array(v.relatedFindings.compactMap { $0 < boot.findings.count ? .int(boot.findings[$0].line) : nil })),
        ])))
        pairs.append(("severity_number", .int(severityNumber(v.level))))
        return .object(pairs)
    }

    public static func bootSummary(_ boot: BootResult, input: String) -> JSONValue {
        let worst = (boot.findings.map(\.level) + boot.droppedFindings.map(\.level)).max() ?? .info
        let dropped = boot.droppedFindings.reduce(0) { $0 + $1.count }
        let counted = dropped > 0 ? " (and \(dropped) more counted, not kept)" : ""
        let message = "boot \(boot.index + 1) of \(input): \(boot.kernel?.release ?? "unknown kernel"), reached \(boot.reached.rawValue), \(boot.findings.count) findings\(counted)"
        var pairs = common(message: message, kind: "state", level: worst, input: input, wallClock: boot.findings.first?.wallClock)
        var kernel: [(String, JSONValue)] = [
            ("version", boot.kernel.map { .string($0.release) } ?? .null), ("boot", .int(boot.index)),
            ("first_line", .int(boot.firstLine)), ("last_line", .int(boot.lastLine)), ("reached", .string(boot.reached.rawValue)),
            ("findings", .int(boot.findings.count)),
        ]
        // Only in runaway boots (over the per-boot limit), so ordinary lines keep their columns.
        if dropped > 0 { kernel.append(("findings_dropped", .int(dropped))) }
        kernel.append(("verdicts", .object(boot.invariants.map { ($0.id, .string($0.outcome.rawValue)) })))
        pairs.append(("kernel", .object(kernel)))
        pairs.append(("severity_number", .int(severityNumber(worst))))
        return .object(pairs)
    }
}
