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

    /// The syslog severity code and name of a level (ECS `log.syslog.severity`).
    static func syslogSeverity(_ level: Level) -> (code: Int, name: String) {
        switch level {
        case .debug: return (7, "debug")
        case .info: return (6, "info")
        case .notice: return (5, "notice")
        case .warning: return (4, "warning")
        case .error: return (3, "err")
        case .critical: return (2, "crit")
        }
    }

    /// Fields every line has, in one order and with one type each (DuckDB's read_json_auto
    /// infers a type per column). `@timestamp` is the log's wall clock where it has one,
    /// else the scan's time, which `event.created` always holds.
    static func common(
        message: String, kind: String, type: String, level: Level, input: String, wallClock: String?,
        scanTime: String, kernel: KernelVersion?, host: String?, labels: [(String, String)]
    ) -> [(String, JSONValue)] {
        let severity = syslogSeverity(level)
        var pairs: [(String, JSONValue)] = [
            ("@timestamp", .string(wallClock ?? scanTime)),
            ("ecs.version", .string(ecsVersion)),
            ("message", .string(message)),
            ("event", .object([
                ("kind", .string(kind)), ("category", .array([.string("host")])), ("type", .array([.string(type)])),
                ("dataset", .string("kernel.dmesg")), ("module", .string("dmesgscan")),
                ("severity", .int(severityNumber(level))), ("created", .string(scanTime)),
            ])),
            ("log", .object([
                ("level", .string(level.rawValue)), ("file", .object([("path", .string(input))])),
                ("syslog", .object([("severity", .object([("code", .int(severity.code)), ("name", .string(severity.name))]))])),
            ])),
        ]
        var hostFields: [(String, JSONValue)] = []
        if let host { hostFields.append(("name", .string(host))) }
        if let kernel { hostFields.append(("os", .object([("kernel", .string(kernel.release))]))) }
        if !hostFields.isEmpty { pairs.append(("host", .object(hostFields))) }
        if !labels.isEmpty { pairs.append(("labels", .object(labels.map { ($0.0, .string($0.1)) }))) }
        return pairs
    }

    /// `kernel.known: {entry, reason, link}` on what a known-issues file lists.
    static func known(_ mark: KnownMark?) -> [(String, JSONValue)] {
        guard let mark else { return [] }
        return [("known", .object([
            ("entry", .string(mark.entry)), ("reason", mark.reason.map { .string($0) } ?? .null), ("link", mark.link.map { .string($0) } ?? .null),
        ]))]
    }

    /// A capture as a number, for ECS fields that are numbers (`process.pid`).
    static func integer(_ text: String?) -> JSONValue? {
        guard let text, let value = Int(text) else { return nil }
        return .int(value)
    }

    public static func finding(
        _ f: Finding, input: String, boot: Int, kernel: KernelVersion?, ruleName: String, rulesDigest: String,
        scanTime: String, labels: [(String, String)] = []
    ) -> JSONValue {
        // What a known-issues file lists is an event, not an alert, and tagged `known`.
        var pairs = common(message: f.title, kind: f.known == nil ? "alert" : "event", type: "error", level: f.level, input: input, wallClock: f.wallClock,
                           scanTime: scanTime, kernel: kernel, host: f.host, labels: labels)
        pairs.append(("rule", .object([
            ("id", .string(f.rule)), ("name", .string(ruleName)), ("category", .string("report")),
            ("ruleset", .string("dmesgscan@" + rulesDigest)),
        ])))
        // The report's own lines, as a stack trace is shown.
        if !f.excerpt.isEmpty {
            pairs.append(("error", .object([("stack_trace", .string(f.excerpt.map(\.text).joined(separator: "\n")))])))
        }
        var process: [(String, JSONValue)] = []
        if let pid = integer(f.fields["pid"]) { process.append(("pid", pid)) }
        if let comm = f.fields["comm"] { process.append(("name", .string(comm))) }
        if !process.isEmpty { pairs.append(("process", .object(process))) }
        var kernelFields: [(String, JSONValue)] = [
            ("version", kernel.map { .string($0.release) } ?? .null), ("boot", .int(boot + 1)),
            ("line", .int(f.line)), ("end_line", .int(f.endLine)),
            ("uptime_s", f.timestamp.map { .double($0) } ?? .null),
            ("cpu", integer(f.fields["cpu"]) ?? .null),
            ("signature", .string(f.signature)), ("lkp_id", .string(f.lkpID)),
            ("guilty_frame", f.guiltyFrame.map { .string($0) } ?? .null),
            ("frames", .array(f.frames.map { .string($0) })),
            ("fields", .object(f.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ]
        if !f.invariants.isEmpty { kernelFields.append(("invariants", .array(f.invariants.map { .string($0) }))) }
        kernelFields += known(f.known)
        pairs.append(("kernel", .object(kernelFields)))
        if f.known != nil { pairs.append(("tags", .array([.string("known")]))) }
        pairs.append(("severity_number", .int(severityNumber(f.level))))
        return .object(pairs)
    }

    /// An enforced failure is an alert; a failure the kernel does not enforce (pre-7.1 early
    /// frees) and every other verdict are events, so alerting on `event.kind` sees only the
    /// failures that matter.
    public static func verdict(
        _ v: InvariantVerdict, boot: BootResult, findings: [Finding], input: String, rulesDigest: String,
        scanTime: String, labels: [(String, String)] = []
    ) -> JSONValue {
        verdict(v, bootIndex: boot.index, kernel: boot.kernel, findings: findings, input: input, rulesDigest: rulesDigest,
                scanTime: scanTime, labels: labels)
    }

    /// A verdict of boot `bootIndex`, whose findings so far are `findings` (all of them at
    /// its end; none yet when it is sent live).
    public static func verdict(
        _ v: InvariantVerdict, bootIndex: Int, kernel: KernelVersion?, findings: [Finding], input: String, rulesDigest: String,
        scanTime: String, labels: [(String, String)] = []
    ) -> JSONValue {
        let alert = v.outcome == .fail && v.enforced && v.known == nil
        let outcome: String
        switch v.outcome {
        case .pass: outcome = "success"
        case .fail: outcome = "failure"
        case .unknown, .notApplicable: outcome = "unknown"
        }
        var pairs = common(message: v.message, kind: alert ? "alert" : "event", type: v.outcome == .fail ? "error" : "info",
                           level: v.level, input: input, wallClock: findings.first?.wallClock, scanTime: scanTime,
                           kernel: kernel, host: findings.first?.host, labels: labels)
        if case .object(var event) = pairs.first(where: { $0.0 == "event" })!.1 {
            event.append(("outcome", .string(outcome)))
            pairs = pairs.map { $0.0 == "event" ? ("event", .object(event)) : $0 }
        }
        pairs.append(("rule", .object([
            ("id", .string(v.id)), ("name", .string(v.title)), ("category", .string("invariant")),
            ("ruleset", .string("dmesgscan@" + rulesDigest)),
        ])))
        pairs.append(("kernel", .object([
            ("version", kernel.map { .string($0.release) } ?? .null), ("boot", .int(bootIndex + 1)),
            ("verdict", .string(v.outcome.rawValue)), ("enforced", .bool(v.enforced)), ("latent_hazard", .bool(v.latentHazard)),
            ("evidence", .array(v.evidence.map { .object([("role", .string($0.role)), ("line", .int($0.line)), ("text", .string($0.text))]) })),
            ("related_lines", .array(v.relatedFindings.compactMap { $0 < findings.count ? .int(findings[$0].line) : nil })),
        ] + known(v.known))))
        if v.known != nil { pairs.append(("tags", .array([.string("known")]))) }
        pairs.append(("severity_number", .int(severityNumber(v.level))))
        return .object(pairs)
    }

    public static func bootSummary(_ boot: BootResult, input: String, scanTime: String, labels: [(String, String)] = []) -> JSONValue {
        let worst = (boot.findings.map(\.level) + boot.droppedFindings.map(\.level)).max() ?? .info
        let dropped = boot.droppedFindings.reduce(0) { $0 + $1.count }
        let counted = dropped > 0 ? " (and \(dropped) more counted, not kept)" : ""
        let message = "boot \(boot.index + 1) of \(input): \(boot.kernel?.release ?? "unknown kernel"), reached \(boot.reached.rawValue), \(boot.findings.count) findings\(counted)"
        var pairs = common(message: message, kind: "state", type: "info", level: worst, input: input, wallClock: boot.findings.first?.wallClock,
                           scanTime: scanTime, kernel: boot.kernel, host: boot.findings.first?.host, labels: labels)
        var kernel: [(String, JSONValue)] = [
            ("version", boot.kernel.map { .string($0.release) } ?? .null), ("boot", .int(boot.index + 1)),
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

    /// One line per input when it ends (`event.action: input`), so that every input is
    /// accounted for in the stream: a missing file or a damaged `.gz` is a `failure` with its
    /// error, not silence or a short log.
    public static func inputState(_ result: InputResult, scanTime: String, labels: [(String, String)] = []) -> JSONValue {
        let failed = result.status != .ok
        var message = "input \(result.path): \(result.status.rawValue), \(result.lines) lines, \(result.bytes) bytes, \(result.bootCount) boots"
        if let error = result.error { message += ": \(error)" }
        var pairs = common(message: message, kind: "state", type: failed ? "error" : "info", level: failed ? .error : .info,
                           input: result.path, wallClock: nil, scanTime: scanTime, kernel: nil, host: nil, labels: labels)
        if case .object(var event) = pairs.first(where: { $0.0 == "event" })!.1 {
            event.append(("action", .string("input")))
            event.append(("outcome", .string(failed ? "failure" : "success")))
            pairs = pairs.map { $0.0 == "event" ? ("event", .object(event)) : $0 }
        }
        pairs.append(("input", .object([
            ("path", .string(result.path)), ("status", .string(result.status.rawValue)), ("lines", .int(result.lines)),
            ("bytes", .int(result.bytes)), ("boots", .int(result.bootCount)),
            ("error", result.error.map { .string($0.description) } ?? .null),
        ])))
        pairs.append(("severity_number", .int(severityNumber(failed ? .error : .info))))
        return .object(pairs)
    }
}
