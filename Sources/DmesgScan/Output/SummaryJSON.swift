/// Builds the versioned JSON summary (`"schema": "dmesgscan/1"`), the contract in DESIGN.md.
public enum SummaryJSON {
    public static let schema = "dmesgscan/1"

    /// The whole summary of `inputs` (what `JSONSummaryWriter` streams), ending in a newline.
    public static func document(inputs: [InputResult], rules: RuleSet, toolVersion: String, pretty: Bool = false) -> String {
        var out = ""
        var writer = JSONSummaryWriter(rules: rules, toolVersion: toolVersion, pretty: pretty) { out += $0 }
        writer.write(inputs)
        return out
    }

    /// One input object, pretty-printed (the golden files).
    public static func input(_ result: InputResult) -> String {
        var stream = JSONStream(pretty: true)
        stream.open("{")
        stream.string(result.path, key: "path")
        stream.open("[", key: "boots")
        for boot in result.boots { write(boot, into: &stream) }
        stream.close("]")
        for (key, value) in counters(result) { stream.value(value, name: key) }
        stream.close("}")
        return stream.take()
    }

    /// The members before `inputs`.
    static func header(rules: RuleSet, toolVersion: String) -> [(String, JSONValue)] {
        [
            ("schema", .string(schema)),
            ("tool", .object([("name", .string("dmesgscan")), ("version", .string(toolVersion))])),
            ("rules", .object([("digest", .string("fnv1a64:" + rules.digest)), ("count", .int(rules.rules.count)), ("invariants", .int(rules.invariants.count))])),
        ]
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

    /// A boot, written straight into the stream (no value tree: this is most of the output).
    static func write(_ boot: BootResult, into j: inout JSONStream) {
        j.open("{")
        j.int(boot.index + 1, key: "index")  // 1-based in every output, as the text's "boot 1"
        j.open("{", key: "kernel")
        if let k = boot.kernel {
            j.string(k.release, key: "version")
            j.int(k.major, key: "major")
            j.int(k.minor, key: "minor")
            j.int(k.patch, key: "patch")
            if let rc = k.rc { j.int(rc, key: "rc") }
            if let next = k.next { j.string(next, key: "next") }
        } else {
            j.null(key: "version")
        }
        if let arch = boot.architecture { j.string(arch, key: "arch") }
        j.close("}")
        j.int(boot.firstLine, key: "first_line")
        j.int(boot.lastLine, key: "last_line")
        j.string(boot.reached.rawValue, key: "reached")
        j.open("[", key: "findings")
        for f in boot.findings { write(f, into: &j) }
        j.close("]")
        j.open("[", key: "invariants")
        for v in boot.invariants { write(v, into: &j) }
        j.close("]")
        write(boot.timeline, into: &j)
        if !boot.droppedFindings.isEmpty {
            j.open("[", key: "findings_dropped")
            for d in boot.droppedFindings {
                j.open("{")
                j.string(d.title, key: "title")
                j.string(d.rule, key: "rule")
                j.string(d.level.rawValue, key: "level")
                j.int(d.count, key: "count")
                write(d.known, into: &j)
                j.close("}")
            }
            j.close("]")
        }
        j.close("}")
    }

    /// `phases` (in record order), `taint` changes and `lost_lines`.
    static func write(_ t: BootTimeline, into j: inout JSONStream) {
        j.open("[", key: "phases")
        for p in t.phases {
            j.open("{")
            j.string(p.name, key: "name")
            j.int(p.line, key: "line")
            j.seconds(p.timestamp, key: "timestamp")
            if let ms = p.durationMs { j.seconds(ms, key: "duration_ms") }
            j.close("}")
        }
        j.close("]")
        j.open("[", key: "taint")
        for change in t.taint {
            j.open("{")
            j.int(change.line, key: "line")
            j.seconds(change.timestamp, key: "timestamp")
            j.string(change.flags, key: "flags")
            j.string(change.added, key: "added")
            if let cause = change.cause { j.int(cause, key: "cause_finding") } else { j.null(key: "cause_finding") }
            j.close("}")
        }
        j.close("]")
        j.open("{", key: "lost_lines")
        j.int(t.gapCount, key: "notices")
        j.int(t.linesLost, key: "lines")
        j.open("[", key: "gaps")
        for gap in t.gaps {
            j.open("{")
            j.int(gap.line, key: "line")
            j.seconds(gap.timestamp, key: "timestamp")
            if let count = gap.count { j.int(count, key: "count") } else { j.null(key: "count") }
            j.string(gap.text, key: "text")
            j.close("}")
        }
        j.close("]")
        j.close("}")
    }

    /// `"known": {"entry", "reason", "link"}`, only on what a known-issues file lists.
    static func write(_ known: KnownMark?, into j: inout JSONStream) {
        guard let known else { return }
        j.open("{", key: "known")
        j.string(known.entry, key: "entry")
        j.string(known.reason, key: "reason")
        j.string(known.link, key: "link")
        j.close("}")
    }

    static func write(_ f: Finding, into j: inout JSONStream) {
        j.open("{")
        j.string(f.rule, key: "rule")
        j.string(f.title, key: "title")
        j.string(f.level.rawValue, key: "level")
        j.int(f.line, key: "line")
        j.int(f.endLine, key: "end_line")
        j.seconds(f.timestamp, key: "timestamp")
        j.open("{", key: "fields")
        for (key, value) in f.fields.sorted(by: { $0.key < $1.key }) { j.string(value, name: key) }
        j.close("}")
        j.string(f.signature, key: "signature")
        j.string(f.lkpID, key: "lkp_id")
        j.string(f.guiltyFrame, key: "guilty_frame")
        j.bool(f.corrupted, key: "corrupted")
        j.strings(f.frames, key: "frames")
        j.bool(f.complete, key: "complete")
        j.strings(f.invariants, key: "invariants")
        j.string(f.phase, key: "phase")
        if f.possiblyIncomplete { j.bool(true, key: "possibly_incomplete") }
        write(f.known, into: &j)
        j.open("[", key: "excerpt")
        for index in f.excerpt.indices { f.excerpt.withBytes(at: index) { j.string(utf8: $0) } }
        j.close("]")
        j.close("}")
    }

    static func write(_ v: InvariantVerdict, into j: inout JSONStream) {
        j.open("{")
        j.string(v.id, key: "id")
        j.string(v.outcome.rawValue, key: "verdict")
        j.bool(v.enforced, key: "enforced")
        j.string(v.level.rawValue, key: "level")
        j.bool(v.latentHazard, key: "latent_hazard")
        if v.possiblyIncomplete { j.bool(true, key: "possibly_incomplete") }
        write(v.known, into: &j)
        j.string(v.message, key: "message")
        j.open("[", key: "related_findings")
        for index in v.relatedFindings { j.int(index) }
        j.close("]")
        if v.nodesDeferred.isEmpty {
            j.null(key: "nodes")
        } else {
            j.open("{", key: "nodes")
            j.open("[", key: "seen")
            for node in v.nodesSeen { j.int(node) }
            j.close("]")
            j.open("[", key: "deferred")
            for node in v.nodesDeferred { j.int(node) }
            j.close("]")
            j.close("}")
        }
        j.open("[", key: "evidence")
        for e in v.evidence {
            j.open("{")
            j.string(e.event, key: "event")
            j.string(e.role, key: "role")
            j.int(e.line, key: "line")
            j.seconds(e.timestamp, key: "timestamp")
            j.string(e.phase, key: "phase")
            j.string(e.text, key: "text")
            j.close("}")
        }
        j.close("]")
        j.close("}")
    }
}
