import Yams

/// Reads rule files: `rules:` (patterns) and `invariants:` (ordering checks).
public struct RuleLoader: Sendable {
    public var rules: [Rule] = []
    public var invariants: [Invariant] = []
    /// Frames that are never the guilty frame of a report (regexes, from `guilty_frame_skip:`).
    public var skipFrames: [String] = []
    /// Parts removed from frame names (syscall prefixes, `.isra.N` suffixes), from `frame_strip:`.
    public var frameStrip: [String] = []
    /// Dispatch frames below which a stall's own code runs, from `stall_anchor_frames:`.
    public var stallAnchors: [AnchorFrame] = []
    /// Digest of the rule files' contents, so summaries from different rule sets are told apart.
    public private(set) var digest = FNV1a64()

    public init() {}

    /// Loads every `*.yml` under each path, in order.
    public mutating func load(paths: [String]) throws(RuleError) {
        for path in paths {
            guard let files = RuleFile.yamlFiles(in: path) else {
                throw RuleError(SourceLocation(file: path, line: 0, column: 0), "cannot read rules directory or file")
            }
            for file in files {
                let text = try RuleFile.read(file)
                try load(yaml: text, file: file, parsed: RulePrefetch.take(file, text: text))
            }
        }
    }

    public mutating func load(yaml text: String, file: String) throws(RuleError) {
        try load(yaml: text, file: file, parsed: nil)
    }

    /// Every value is read as a string, so no tag is resolved (the default resolver runs
    /// regexes on every scalar, which was a third of start-up).
    static func compose(_ text: String) throws -> Node? { try Yams.compose(yaml: text, .basic) }

    /// `parsed`: the text's YAML parsed ahead (`RulePrefetch`), or nil to parse it here.
    mutating func load(yaml text: String, file: String, parsed: Result<Node?, YamlError>?) throws(RuleError) {
        digest.add(text)
        let root: Node?
        do {
            if let parsed { root = try parsed.get() } else { root = try RuleLoader.compose(text) }
        } catch {
            throw RuleError(RuleLoader.location(of: error, in: file), "YAML: \(error)")
        }
        guard let root else { return }
        let doc = YAMLView(node: root, file: file)
        guard root.mapping != nil else { throw RuleError(doc.location, "expected a mapping with `rules:` or `invariants:`") }
        try doc.rejectUnknownKeys(["rules", "invariants", "guilty_frame_skip", "frame_strip", "stall_anchor_frames", "macros"])
        let macros = try RuleLoader.resolveMacros(try doc.child("macros")?.stringMap() ?? [:], at: doc.location)
        for item in try doc.child("rules")?.items() ?? [] {
            rules.append(try parseRule(item, macros: macros))
        }
        for item in try doc.child("invariants")?.items() ?? [] {
            invariants.append(try parseInvariant(item))
        }
        for item in try doc.child("guilty_frame_skip")?.items() ?? [] {
            skipFrames.append(try item.string())
        }
        for item in try doc.child("frame_strip")?.items() ?? [] {
            frameStrip.append(try item.string())
        }
        stallAnchors += try RuleLoader.parseAnchors(doc.child("stall_anchor_frames"))
    }

    /// Macros may use other macros: expanded in name order, repeatedly, until none is left
    /// (dictionary order differs from run to run, and would make the expansion differ too).
    static func resolveMacros(_ raw: [String: String], at location: SourceLocation) throws(RuleError) -> [(String, String)] {
        var resolved = raw
        let names = raw.keys.sorted()
        for _ in 0...names.count {
            var changed = false
            for name in names {
                var value = resolved[name]!
                for other in names where other != name && value.contains("{{\(other)}}") {
                    value = value.replacing("{{\(other)}}", with: resolved[other]!)
                    changed = true
                }
                guard value.utf8.count <= maxMacroBytes else { throw RuleError(location, "macro `\(name)` expands to more than \(maxMacroBytes) bytes") }
                resolved[name] = value
            }
            if !changed { return names.map { ($0, resolved[$0]!) } }
        }
        throw RuleError(location, "macros refer to each other in a cycle")
    }

    static let maxMacroBytes = 64 << 10
    /// A title template's size and placeholders are capped: each `{x}` is filled per report.
    static let maxTitleBytes = 1024
    static let maxTitlePlaceholders = 32

    static let ruleKeys: Set<String> = ["id", "title", "level", "pattern", "literal", "prefixes", "boot", "report", "anchors", "priority", "max_lines", "lkp", "numa_node", "tags", "tests", "status", "description",
                                         "stack", "stack_skip", "stack_extractor", "stack_anchors", "joins_open", "title_fallback",
                                         "phase", "taint", "lost_lines"]

    private mutating func parseRule(_ node: YAMLView, macros: [(String, String)]) throws(RuleError) -> Rule {
        try node.rejectUnknownKeys(RuleLoader.ruleKeys)
        let id = try node.required("id").string()
        let patternNode = try node.required("pattern")
        var pattern = try patternNode.string()
        for (name, value) in macros { pattern = pattern.replacing("{{\(name)}}", with: value) }
        // The digest covers what the patterns became, not only the files' text.
        digest.add(pattern)
        let level = try node.child("level").map { (n) throws(RuleError) in try n.level() } ?? .info
        var anchors: [Rule.Anchor] = []
        for item in try node.child("anchors")?.items() ?? [] {
            try item.rejectUnknownKeys(["milestone", "side", "kernel"])
            anchors.append(Rule.Anchor(
                milestone: try item.required("milestone").string(),
                side: try item.required("side").enumValue(Rule.Anchor.Side.self),
                kernel: try item.child("kernel")?.versionRange()))
        }
        var phases: [Rule.PhaseMark] = []
        if let phase = node.child("phase") {
            for item in phase.node.sequence != nil ? try phase.items() : [phase] {
                if item.node.scalar != nil {
                    phases.append(Rule.PhaseMark(name: try item.string(), kernel: nil, atLast: false, durationField: nil, durationLabel: nil))
                    continue
                }
                try item.rejectUnknownKeys(["name", "kernel", "at", "duration", "duration_label"])
                let at = try item.child("at")?.string() ?? "first"
                guard at == "first" || at == "last" else { throw RuleError(item.child("at")!.location, "`at:` is first or last") }
                phases.append(Rule.PhaseMark(
                    name: try item.required("name").string(), kernel: try item.child("kernel")?.versionRange(), atLast: at == "last",
                    durationField: try item.child("duration")?.string(), durationLabel: try item.child("duration_label")?.string()))
            }
        }
        var examples: [Rule.Example] = []
        for item in try node.child("tests")?.items() ?? [] {
            try item.rejectUnknownKeys(["line", "match", "fields"])
            examples.append(Rule.Example(
                line: try item.required("line").string(),
                shouldMatch: try item.child("match")?.bool() ?? true,
                fields: try item.child("fields")?.stringMap() ?? [:],
                location: item.location))
        }
        let title = try node.child("title")?.string() ?? id
        for template in [title, try node.child("title_fallback")?.string() ?? ""] {
            guard template.utf8.count <= RuleLoader.maxTitleBytes, template.filter({ $0 == "{" }).count <= RuleLoader.maxTitlePlaceholders else {
                throw RuleError(node.location, "title of `\(id)` is longer than \(RuleLoader.maxTitleBytes) bytes or has more than \(RuleLoader.maxTitlePlaceholders) placeholders")
            }
        }
        var rule = Rule(
            id: id,
            title: title,
            titleFallback: try node.child("title_fallback")?.string(),
            level: level,
            pattern: pattern,
            literal: try node.child("literal")?.string(),
            prefixes: try node.child("prefixes")?.stringOrList() ?? [],
            boot: try node.child("boot")?.enumValue(Rule.BootRole.self),
            report: try node.child("report")?.enumValue(Rule.ReportRole.self),
            anchors: anchors,
            numaNode: try node.child("numa_node")?.bool() ?? false,
            priority: try node.child("priority")?.int() ?? 0,
            joinsOpen: try node.child("joins_open")?.bool() ?? false,
            maxLines: try node.child("max_lines")?.int(),
            lkp: try node.child("lkp")?.string(),
            stack: StackSpec(
                steps: try parseStack(node.child("stack")),
                skip: try node.child("stack_skip")?.stringOrList() ?? [],
                extractor: try node.child("stack_extractor")?.enumValue(StackExtractor.self) ?? .first,
                anchors: try RuleLoader.parseAnchors(node.child("stack_anchors"))),
            tags: try node.child("tags")?.items().map { (n) throws(RuleError) in try n.string() } ?? [],
            examples: examples,
            location: patternNode.contentLocation,
            patternDoubleQuoted: patternNode.node.scalar?.style == .doubleQuoted)
        rule.phases = phases
        rule.taint = try node.child("taint")?.bool() ?? false
        rule.lostLines = try node.child("lost_lines")?.bool() ?? false
        return rule
    }

    /// Where a YAML error is, when the parser says (it used to be reported as `file:0:0`).
    static func location(of error: any Error, in file: String) -> SourceLocation {
        switch error as? YamlError {
        case .scanner(_, _, let mark, _)?, .parser(_, _, let mark, _)?, .composer(_, _, let mark, _)?:
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        default:
            return SourceLocation(file: file, line: 0, column: 0)
        }
    }

    /// `['^do_syscall_64$', {match: 'synchronize_(rcu|srcu)', name: synchronize_rcu}]`.
    static func parseAnchors(_ node: YAMLView?) throws(RuleError) -> [AnchorFrame] {
        guard let node else { return [] }
        var anchors: [AnchorFrame] = []
        for item in try node.items() {
            if item.node.mapping != nil {
                try item.rejectUnknownKeys(["match", "name"])
                anchors.append(AnchorFrame(pattern: try item.required("match").string(), name: try item.child("name")?.string()))
            } else {
                anchors.append(AnchorFrame(pattern: try item.string(), name: nil))
            }
        }
        return anchors
    }

    /// `stack: [banner, rip, {after: '</IRQ>'}, trace]`.
    private func parseStack(_ node: YAMLView?) throws(RuleError) -> [StackStep] {
        guard let node else { return [] }
        var steps: [StackStep] = []
        for item in try node.items() {
            if let after = item.child("after") {
                try item.rejectUnknownKeys(["after"])
                steps.append(.after(try after.string()))
                continue
            }
            switch try item.string() {
            case "banner": steps.append(.banner)
            case "rip": steps.append(.rip)
            case "locks": steps.append(.locks)
            case "trace": steps.append(.trace)
            case let other: throw RuleError(item.location, "unknown stack step `\(other)` (banner, rip, locks, trace or {after: PATTERN})")
            }
        }
        return steps
    }

    static let invariantKeys: Set<String> = [
        "id", "title", "kind", "event", "after", "before", "reach", "refused_by", "enforced", "level", "level_unenforced",
        "hazard", "messages", "description", "caller_skip", "explains", "kernel",
    ]

    private func parseInvariant(_ node: YAMLView) throws(RuleError) -> Invariant {
        try node.rejectUnknownKeys(RuleLoader.invariantKeys)
        let kind = try node.child("kind")?.enumValue(Invariant.Kind.self) ?? .order
        let eventNode = node.child("event")
        try eventNode?.rejectUnknownKeys(["rule", "title", "fields"])
        let event = try eventNode.map { (e) throws(RuleError) in
            let selector = Invariant.EventSelector(
                rule: try e.child("rule")?.string(), title: try e.child("title")?.string(), fields: try e.child("fields")?.stringMap() ?? [:])
            guard (selector.rule == nil) != (selector.title == nil) else { throw RuleError(e.location, "`event:` needs one of `rule:` or `title:`") }
            return selector
        }
        let after = try node.child("after")?.string()
        let before = try node.child("before")?.string()
        switch kind {
        case .order:
            guard event != nil, (after == nil) != (before == nil) else {
                throw RuleError(node.location, "an order invariant needs `event:` and one of `after:` or `before:`")
            }
        case .never:
            guard event != nil else { throw RuleError(node.location, "a `never` invariant needs `event:`") }
        case .reach:
            guard node.child("reach") != nil else { throw RuleError(node.location, "a `reach` invariant needs `reach:`") }
        }
        let refused = node.child("refused_by")
        try refused?.rejectUnknownKeys(["rule", "frame"])
        let enforced = node.child("enforced")
        try enforced?.rejectUnknownKeys(["kernel", "when_refused"])
        let explains = node.child("explains")
        try explains?.rejectUnknownKeys(["frames", "rules"])
        return Invariant(
            id: try node.required("id").string(),
            title: try node.child("title")?.string() ?? "",
            kind: kind,
            event: event,
            milestone: after ?? before,
            mustPrecede: before != nil,
            reach: try node.child("reach")?.string(),
            callerSkip: try node.child("caller_skip")?.string(),
            explains: try explains.map { (x) throws(RuleError) in
                Invariant.Explains(frames: try x.child("frames")?.stringOrList() ?? [], rules: try x.child("rules")?.stringOrList() ?? [])
            },
            kernel: try node.child("kernel")?.versionRange(),
            refusedBy: try refused.map { (r) throws(RuleError) in
                Invariant.Refusal(rule: try r.required("rule").string(), frame: try r.child("frame")?.string())
            },
            enforcedKernel: try enforced?.child("kernel")?.versionRange(),
            enforcedWhenRefused: try enforced?.child("when_refused")?.bool() ?? false,
            level: try node.child("level")?.level() ?? .error,
            unenforcedLevel: try node.child("level_unenforced")?.level() ?? .info,
            hazardRules: try node.child("hazard")?.stringOrList() ?? [],
            messages: try node.child("messages")?.stringMap() ?? [:],
            location: node.location)
    }
}

/// A YAML node with its file, giving typed access and errors that name file:line:column.
struct YAMLView {
    let node: Node
    let file: String
    /// A mapping's scalar keys and their values, read once: `child` is asked for each key a
    /// rule may have, and Yams' `mapping[key]` made a node of the key and compared whole
    /// nodes each time, which was a seventh of start-up.
    private let keys: [String?]
    private let values: [Node]

    init(node: Node, file: String) {
        self.node = node
        self.file = file
        if let mapping = node.mapping {
            keys = mapping.keys.map { $0.scalar?.string }
            values = Array(mapping.values)
        } else {
            keys = []
            values = []
        }
    }

    var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    /// The first character of a scalar's text (after an opening quote).
    var contentLocation: SourceLocation {
        var location = self.location
        if let style = node.scalar?.style, style == .singleQuoted || style == .doubleQuoted { location.column += 1 }
        return location
    }


    func child(_ key: String) -> YAMLView? {
        guard let index = keys.firstIndex(of: key) else { return nil }
        return YAMLView(node: values[index], file: file)
    }

    func required(_ key: String) throws(RuleError) -> YAMLView {
        guard let value = child(key) else { throw RuleError(location, "missing required key `\(key)`") }
        return value
    }

    func rejectUnknownKeys(_ allowed: Set<String>) throws(RuleError) {
        guard let mapping = node.mapping else { throw RuleError(location, "expected a mapping") }
        for (key, _) in mapping {
            // Keys must be plain strings; `? [a, b]` or other non-scalar keys are errors too.
            guard let name = key.string, allowed.contains(name) else {
                throw RuleError(YAMLView(node: key, file: file).location, "unknown key `\(key.string ?? "(not a string)")`")
            }
        }
    }

    func string() throws(RuleError) -> String {
        guard let scalar = node.scalar else { throw RuleError(location, "expected a string") }
        return scalar.string
    }

    func stringOrList() throws(RuleError) -> [String] {
        if node.scalar != nil { return [try string()] }
        return try items().map { (item) throws(RuleError) in try item.string() }
    }

    func int() throws(RuleError) -> Int {
        guard let value = Int(try string()) else { throw RuleError(location, "expected a whole number") }
        return value
    }

    func bool() throws(RuleError) -> Bool {
        switch try string() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw RuleError(location, "expected true or false")
        }
    }

    func items() throws(RuleError) -> [YAMLView] {
        guard let sequence = node.sequence else { throw RuleError(location, "expected a list") }
        return sequence.map { YAMLView(node: $0, file: file) }
    }

    func stringMap() throws(RuleError) -> [String: String] {
        guard let mapping = node.mapping else { throw RuleError(location, "expected a mapping") }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let k = key.string, let v = value.scalar?.string else {
                throw RuleError(YAMLView(node: value, file: file).location, "expected string keys and values")
            }
            result[k] = v
        }
        return result
    }

    /// A level in any accepted spelling (`error` or `err`, `critical` or `crit`, …).
    func level() throws(RuleError) -> Level {
        let text = try string()
        guard let value = Level(name: text) else {
            throw RuleError(location, "unknown level `\(text)` (one of \(Level.allCases.map(\.rawValue).joined(separator: ", ")), or a syslog name)")
        }
        return value
    }

    func enumValue<T: RawRepresentable>(_ type: T.Type) throws(RuleError) -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else { throw RuleError(location, "unknown value `\(text)`") }
        return value
    }

    func versionRange() throws(RuleError) -> VersionRange {
        let text = try string()
        guard let range = VersionRange(text) else { throw RuleError(location, "bad kernel version range `\(text)` (write e.g. `>= 6.11` or `>= 5.8, < 6.11`)") }
        return range
    }
}

