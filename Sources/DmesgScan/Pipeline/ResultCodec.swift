/// Input results to JSON and back without loss, for `--cache`: every field of every boot, and
/// doubles as their bit patterns, so that a cached run writes byte for byte what a scan would.
public enum ResultCodec {
    public static let version = 1

    public static func encode(_ results: [InputResult]) -> JSONValue {
        .object([("codec", .int(version)), ("results", .array(results.map(encode)))])
    }

    public static func decode(_ value: JSONValue) -> [InputResult]? {
        guard value["codec"] == .int(version), case .array(let items)? = value["results"] else { return nil }
        var results: [InputResult] = []
        for item in items {
            guard let result = decodeResult(item) else { return nil }
            results.append(result)
        }
        return results
    }

    // MARK: scalars

    static func double(_ d: Double?) -> JSONValue { d.map { .int(Int(bitPattern: UInt($0.bitPattern))) } ?? .null }
    static func string(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    static func strings(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
    static func ints(_ list: [Int]) -> JSONValue { .array(list.map { .int($0) }) }
    static func map(_ dict: [String: String]) -> JSONValue { .object(dict.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) }
    static func known(_ mark: KnownMark?) -> JSONValue {
        mark.map { .object([("entry", .string($0.entry)), ("reason", string($0.reason)), ("link", string($0.link))]) } ?? .null
    }

    struct Fields {
        let value: JSONValue
        init(_ value: JSONValue) { self.value = value }
        func int(_ key: String) -> Int? { if case .int(let n)? = value[key] { return n }; return nil }
        func string(_ key: String) -> String? { if case .string(let s)? = value[key] { return s }; return nil }
        func bool(_ key: String) -> Bool? { if case .bool(let b)? = value[key] { return b }; return nil }
        func double(_ key: String) -> Double? { int(key).map { Double(bitPattern: UInt64(UInt(bitPattern: $0))) } }
        func array(_ key: String) -> [JSONValue] { if case .array(let a)? = value[key] { return a }; return [] }
        func strings(_ key: String) -> [String] { array(key).compactMap { if case .string(let s) = $0 { return s }; return nil } }
        func ints(_ key: String) -> [Int] { array(key).compactMap { if case .int(let n) = $0 { return n }; return nil } }
        func map(_ key: String) -> [String: String] {
            guard case .object(let pairs)? = value[key] else { return [:] }
            var out: [String: String] = [:]
            for (k, v) in pairs { if case .string(let s) = v { out[k] = s } }
            return out
        }
        func level(_ key: String) -> Level { string(key).flatMap { Level(rawValue: $0) } ?? .info }
        func known(_ key: String) -> KnownMark? {
            guard let entry = value[key], entry != .null else { return nil }
            let f = Fields(entry)
            return f.string("entry").map { KnownMark(entry: $0, reason: f.string("reason"), link: f.string("link")) }
        }
    }

    // MARK: results

    static func encode(_ r: InputResult) -> JSONValue {
        .object([
            ("path", .string(r.path)), ("status", .string(r.status.rawValue)),
            ("error", r.error.map { e in
                .object([("kind", .string(e.kind.rawValue)), ("offset", e.offset.map { .int($0) } ?? .null),
                         ("format", .string(e.format)), ("detail", .string(e.detail))])
            } ?? .null),
            ("lines", .int(r.lines)), ("kernel_records", .int(r.kernelRecords)), ("bytes", .int(r.bytes)),
            ("boot_count", .int(r.bootCount)), ("cut_lines", .int(r.cutLines)),
            ("rule_failures", .array(r.ruleFailures.map { .object([("rule", .string($0.rule)), ("line", .int($0.line)), ("code", .int(Int($0.code)))]) })),
            ("boots", .array(r.boots.map(encode))),
        ])
    }

    static func decodeResult(_ value: JSONValue) -> InputResult? {
        let f = Fields(value)
        guard let path = f.string("path"), let status = f.string("status").flatMap(InputResult.Status.init(rawValue:)),
              let lines = f.int("lines"), let bytes = f.int("bytes") else { return nil }
        var error: InputError?
        if let e = value["error"], e != .null {
            let ef = Fields(e)
            guard let kind = ef.string("kind").flatMap(InputError.Kind.init(rawValue:)) else { return nil }
            error = InputError(kind, offset: ef.int("offset"), format: ef.string("format") ?? "gzip", ef.string("detail") ?? "")
        }
        var boots: [BootResult] = []
        for boot in f.array("boots") {
            guard let decoded = decodeBoot(boot) else { return nil }
            boots.append(decoded)
        }
        var result = InputResult(path: path, status: status, error: error, lines: lines, bytes: bytes, boots: boots,
                                 ruleFailures: f.array("rule_failures").map { item in
                                     let rf = Fields(item)
                                     return (rf.string("rule") ?? "", rf.int("line") ?? 0, Int32(rf.int("code") ?? 0))
                                 }, cutLines: f.int("cut_lines") ?? 0)
        result.kernelRecords = f.int("kernel_records") ?? 0
        result.bootCount = f.int("boot_count") ?? boots.count
        return result
    }

    // MARK: boots

    static func encode(_ b: BootResult) -> JSONValue {
        let t = b.timeline
        return .object([
            ("index", .int(b.index)), ("kernel", string(b.kernel?.release)), ("architecture", string(b.architecture)),
            ("first_line", .int(b.firstLine)), ("last_line", .int(b.lastLine)), ("reached", .string(b.reached.rawValue)),
            ("wall_clock_start", string(b.wallClockStart)), ("wall_clock_end", string(b.wallClockEnd)),
            ("findings", .array(b.findings.map(encode))),
            ("invariants", .array(b.invariants.map(encode))),
            ("dropped", .array(b.droppedFindings.map { d in
                .object([("title", .string(d.title)), ("rule", .string(d.rule)), ("level", .string(d.level.rawValue)),
                         ("count", .int(d.count)), ("known", known(d.known))])
            })),
            ("phases", .array(t.phases.map { p in
                .object([("name", .string(p.name)), ("line", .int(p.line)), ("timestamp", double(p.timestamp)),
                         ("duration_ms", double(p.durationMs)), ("duration_label", string(p.durationLabel))])
            })),
            ("taint", .array(t.taint.map { c in
                .object([("line", .int(c.line)), ("timestamp", double(c.timestamp)), ("flags", .string(c.flags)),
                         ("added", .string(c.added)), ("cause", c.cause.map { .int($0) } ?? .null)])
            })),
            ("gaps", .array(t.gaps.map { g in
                .object([("line", .int(g.line)), ("timestamp", double(g.timestamp)), ("count", g.count.map { .int($0) } ?? .null),
                         ("text", .string(g.text))])
            })),
            ("gap_count", .int(t.gapCount)), ("lines_lost", .int(t.linesLost)),
        ])
    }

    static func decodeBoot(_ value: JSONValue) -> BootResult? {
        let f = Fields(value)
        guard let index = f.int("index"), let first = f.int("first_line"), let last = f.int("last_line"),
              let reached = f.string("reached").flatMap(BootResult.Reached.init(rawValue:)) else { return nil }
        var findings: [Finding] = []
        for item in f.array("findings") {
            guard let finding = decodeFinding(item) else { return nil }
            findings.append(finding)
        }
        var verdicts: [InvariantVerdict] = []
        for item in f.array("invariants") {
            guard let verdict = decodeVerdict(item) else { return nil }
            verdicts.append(verdict)
        }
        let dropped = f.array("dropped").map { item -> DroppedFindings in
            let d = Fields(item)
            var dropped = DroppedFindings(title: d.string("title") ?? "", rule: d.string("rule") ?? "", level: d.level("level"), count: d.int("count") ?? 0)
            dropped.known = d.known("known")
            return dropped
        }
        var boot = BootResult(index: index, kernel: f.string("kernel").flatMap { KernelVersion(release: $0) }, architecture: f.string("architecture"),
                              firstLine: first, lastLine: last, reached: reached, findings: findings, invariants: verdicts, droppedFindings: dropped)
        boot.wallClockStart = f.string("wall_clock_start")
        boot.wallClockEnd = f.string("wall_clock_end")
        var t = BootTimeline()
        t.phases = f.array("phases").map { item in
            let p = Fields(item)
            return BootTimeline.Phase(name: p.string("name") ?? "", line: p.int("line") ?? 0, timestamp: p.double("timestamp"),
                                      durationMs: p.double("duration_ms"), durationLabel: p.string("duration_label"))
        }
        t.taint = f.array("taint").map { item in
            let c = Fields(item)
            return BootTimeline.TaintChange(line: c.int("line") ?? 0, timestamp: c.double("timestamp"), flags: c.string("flags") ?? "",
                                            added: c.string("added") ?? "", cause: c.int("cause"))
        }
        t.gaps = f.array("gaps").map { item in
            let g = Fields(item)
            return BootTimeline.Gap(line: g.int("line") ?? 0, timestamp: g.double("timestamp"), count: g.int("count"), text: g.string("text") ?? "")
        }
        t.gapCount = f.int("gap_count") ?? 0
        t.linesLost = f.int("lines_lost") ?? 0
        boot.timeline = t
        return boot
    }

    // MARK: findings and verdicts

    static func encode(_ x: Finding) -> JSONValue {
        .object([
            ("rule", .string(x.rule)), ("title", .string(x.title)), ("level", .string(x.level.rawValue)),
            ("line", .int(x.line)), ("end_line", .int(x.endLine)), ("timestamp", double(x.timestamp)),
            ("wall_clock", string(x.wallClock)), ("host", string(x.host)), ("fields", map(x.fields)),
            ("excerpt", .array(x.excerpt.map { .array([.int($0.line), .string($0.text)]) })),
            ("frames", strings(x.frames)), ("guilty_frame", string(x.guiltyFrame)), ("signature", .string(x.signature)),
            ("lkp_id", .string(x.lkpID)), ("corrupted", .bool(x.corrupted)), ("complete", .bool(x.complete)),
            ("invariants", strings(x.invariants)), ("known", known(x.known)), ("phase", string(x.phase)),
            ("possibly_incomplete", .bool(x.possiblyIncomplete)),
        ])
    }

    static func decodeFinding(_ value: JSONValue) -> Finding? {
        let f = Fields(value)
        guard let rule = f.string("rule"), let title = f.string("title"), let line = f.int("line"), let end = f.int("end_line") else { return nil }
        let excerpt = f.array("excerpt").compactMap { item -> (line: Int, text: String)? in
            guard case .array(let pair) = item, pair.count == 2, case .int(let n) = pair[0], case .string(let text) = pair[1] else { return nil }
            return (n, text)
        }
        var finding = Finding(rule: rule, title: title, level: f.level("level"), line: line, endLine: end, timestamp: f.double("timestamp"),
                              wallClock: f.string("wall_clock"), host: f.string("host"), fields: f.map("fields"), excerpt: Excerpt(excerpt),
                              frames: f.strings("frames"), guiltyFrame: f.string("guilty_frame"), signature: f.string("signature") ?? "",
                              lkpID: f.string("lkp_id") ?? "", corrupted: f.bool("corrupted") ?? false, complete: f.bool("complete") ?? true,
                              invariants: f.strings("invariants"))
        finding.known = f.known("known")
        finding.phase = f.string("phase")
        finding.possiblyIncomplete = f.bool("possibly_incomplete") ?? false
        return finding
    }

    static func encode(_ v: InvariantVerdict) -> JSONValue {
        .object([
            ("id", .string(v.id)), ("title", .string(v.title)), ("outcome", .string(v.outcome.rawValue)), ("enforced", .bool(v.enforced)),
            ("level", .string(v.level.rawValue)), ("message", .string(v.message)), ("latent_hazard", .bool(v.latentHazard)),
            ("evidence", .array(v.evidence.map { e in
                .object([("event", .string(e.event)), ("role", .string(e.role)), ("line", .int(e.line)), ("timestamp", double(e.timestamp)),
                         ("text", .string(e.text)), ("phase", string(e.phase))])
            })),
            ("related", ints(v.relatedFindings)), ("nodes_seen", ints(v.nodesSeen)), ("nodes_deferred", ints(v.nodesDeferred)),
            ("known", known(v.known)), ("possibly_incomplete", .bool(v.possiblyIncomplete)),
        ])
    }

    static func decodeVerdict(_ value: JSONValue) -> InvariantVerdict? {
        let f = Fields(value)
        guard let id = f.string("id"), let outcome = f.string("outcome").flatMap(InvariantVerdict.Outcome.init(rawValue:)) else { return nil }
        let evidence = f.array("evidence").map { item -> InvariantVerdict.Evidence in
            let e = Fields(item)
            return InvariantVerdict.Evidence(event: e.string("event") ?? "", role: e.string("role") ?? "", line: e.int("line") ?? 0,
                                             timestamp: e.double("timestamp"), text: e.string("text") ?? "", phase: e.string("phase"))
        }
        var verdict = InvariantVerdict(id: id, title: f.string("title") ?? "", outcome: outcome, enforced: f.bool("enforced") ?? false,
                                       level: f.level("level"), message: f.string("message") ?? "", latentHazard: f.bool("latent_hazard") ?? false,
                                       evidence: evidence, relatedFindings: f.ints("related"))
        verdict.nodesSeen = f.ints("nodes_seen")
        verdict.nodesDeferred = f.ints("nodes_deferred")
        verdict.known = f.known("known")
        verdict.possiblyIncomplete = f.bool("possibly_incomplete") ?? false
        return verdict
    }
}
