/// Builds the versioned JSON summary (`"schema": "dmesgscan/1"`), the contract in DESIGN.md.
public enum SummaryJSON {
    public static let schema = "dmesgscan/1"

    public static func document(inputs: [InputResult], rules: RuleSet, toolVersion: String, totals: ArchiveTotals? = nil) -> JSONValue {
        .object(header(rules: rules, toolVersion: toolVersion) + [
            ("inputs", .array(inputs.map(input))),
            ("totals", totals?.json ?? self.totals(inputs)),
        ])
    }

    /// The members before `inputs`.
    static func header(rules: RuleSet, toolVersion: String) -> [(String, JSONValue)] {
        [
            ("schema", .string(schema)),
            ("tool", .object([("name", .string("dmesgscan")), ("version", .string(toolVersion))])),
            ("rules", .object([("digest", .string("fnv1a64:" + rules.digest)), ("count", .int(rules.rules.count)), ("invariants", .int(rules.invariants.count))])),
        ]
    }

    /// An input: its path, its boots, then what is known only at its end (so a stream can
    /// write the boots as they come).
    public static func input(_ result: InputResult) -> JSONValue {
        .object([("path", .string(result.path)), ("boots", .array(result.boots.map(boot)))] + counters(result))
    }

    static func counters(_ result: InputResult) -> [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = [("status", .string(result.status.rawValue))]
        if let error = result.error { pairs.append(("error", .string(error.description))) }
        pairs.append(("lines", .int(result.lines)))
        pairs.append(("bytes", .int(result.bytes)))
        if result.cutLines > 0 { pairs.append(("cut_lines", .int(result.cutLines))) }
        if !result.ruleFailures.isEmpty {
            pairs.append(("rule_errors", .array(result.ruleFailures.map {
                .object([("rule", .string($0.rule)), ("line", .int($0.line)), ("error", .string(PCRE2Regex.message(for: $0.code)))])
            })))
        }
        return pairs
    }

    public static func boot(_ boot: BootResult) -> JSONValue {
        var kernel: [(String, JSONValue)] = [("version", boot.kernel.map { .string($0.release) } ?? .null)]
        if let k = boot.kernel {
            kernel.append(("major", .int(k.major)))
            kernel.append(("minor", .int(k.minor)))
            kernel.append(("patch", .int(k.patch)))
            if let rc = k.rc { kernel.append(("rc", .int(rc))) }
            if let next = k.next { kernel.append(("next", .string(next))) }
        }
        if let arch = boot.architecture { kernel.append(("arch", .string(arch))) }
        return .object([
            ("index", .int(boot.index)),
            ("kernel", .object(kernel)),
            ("first_line", .int(boot.firstLine)),
            ("last_line", .int(boot.lastLine)),
            ("reached", .string(boot.reached.rawValue)),
            ("findings", .array(boot.findings.map(finding))),
            ("invariants", .array(boot.invariants.map(verdict))),
        ])
    }

    public static func finding(_ f: Finding) -> JSONValue {
        .object([
            ("rule", .string(f.rule)),
            ("title", .string(f.title)),
            ("level", .string(f.level.rawValue)),
            ("line", .int(f.line)),
            ("end_line", .int(f.endLine)),
            ("timestamp", f.timestamp.map { .double($0) } ?? .null),
            ("fields", .object(f.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
            ("signature", .string(f.signature)),
            ("lkp_id", .string(f.lkpID)),
            ("guilty_frame", f.guiltyFrame.map { .string($0) } ?? .null),
            ("corrupted", .bool(f.corrupted)),
            ("frames", .array(f.frames.map { .string($0) })),
            ("complete", .bool(f.complete)),
            ("invariants", .array(f.invariants.map { .string($0) })),
            ("excerpt", .array(f.excerpt.map { .string($0.text) })),
        ])
    }

    public static func verdict(_ v: InvariantVerdict) -> JSONValue {
        .object([
            ("id", .string(v.id)),
            ("verdict", .string(v.outcome.rawValue)),
            ("enforced", .bool(v.enforced)),
            ("level", .string(v.level.rawValue)),
            ("latent_hazard", .bool(v.latentHazard)),
            ("message", .string(v.message)),
            ("related_findings", .array(v.relatedFindings.map { .int($0) })),
            ("nodes", v.nodesDeferred.isEmpty ? .null : .object([
                ("seen", .array(v.nodesSeen.map { .int($0) })), ("deferred", .array(v.nodesDeferred.map { .int($0) })),
            ])),
            ("evidence", .array(v.evidence.map {
                .object([
                    ("event", .string($0.event)),
                    ("role", .string($0.role)),
                    ("line", .int($0.line)),
                    ("timestamp", $0.timestamp.map { .double($0) } ?? .null),
                    ("text", .string($0.text)),
                ])
            })),
        ])
    }

    public static func totals(_ inputs: [InputResult]) -> JSONValue {
        var totals = ArchiveTotals()
        for input in inputs { totals.add(input) }
        return totals.json
    }
}
