/// Totals over every input of a run: inputs by status, verdicts, report titles (with how
/// many inputs show them, and the first and last of those), kernel versions.
public struct ArchiveTotals: Sendable {
    public struct TitleTotal: Sendable {
        /// Every time it was printed.
        public var count = 0
        /// Boots that showed it, once each however often it was printed there.
        public var boots = 0
        /// Times a known-issues entry listed it.
        public var known = 0
        public var inputs = 0
        public var firstInput = ""
        public var lastInput = ""
        public var level = Level.info
    }

    public var status: [String: Int] = ["ok": 0, "partial": 0, "error": 0]
    public var lines = 0
    public var bytes = 0
    public var boots = 0
    public var verdicts: [String: [String: Int]] = [:]
    public var titles: [String: TitleTotal] = [:]
    public var kernels: [String: Int] = [:]
    /// Findings by rule id and level, without those a known-issues file lists.
    public var rules: [String: [String: Int]] = [:]
    /// Findings a known-issues file lists, by rule id and level.
    public var knownRules: [String: [String: Int]] = [:]
    public var inputs = 0
    /// With a known-issues file: its stale and expired entries, set before the run's end.
    public var knownIssues: KnownIssueReport?

    public init() {}

    /// Titles already counted for the input whose boots are arriving.
    private var titlesInInput = Set<String>()

    /// Adds an input and the boots it kept.
    public mutating func add(_ input: InputResult) {
        for boot in input.boots { add(boot, input: input.path) }
        finishInput(input)
    }

    /// Adds one boot of the input being scanned (its boots arrive before `finishInput`).
    public mutating func add(_ boot: BootResult, input path: String) {
        boots += 1
        kernels[boot.kernel?.release ?? "unknown", default: 0] += 1
        for v in boot.invariants { verdicts[v.id, default: [:]][v.outcome.rawValue, default: 0] += 1 }
        titlesInBoot.removeAll(keepingCapacity: true)
        for f in boot.findings { add(title: f.title, rule: f.rule, level: f.level, count: 1, known: f.known != nil, input: path) }
        // Findings over the boot's limit count as much as kept ones.
        for d in boot.droppedFindings { add(title: d.title, rule: d.rule, level: d.level, count: d.count, known: d.known != nil, input: path) }
    }

    /// Titles already counted for the boot being added.
    private var titlesInBoot = Set<String>()

    private mutating func add(title: String, rule: String, level: Level, count: Int, known: Bool, input path: String) {
        if known {
            knownRules[rule, default: [:]][level.rawValue, default: 0] += count
        } else {
            rules[rule, default: [:]][level.rawValue, default: 0] += count
        }
        var total = titles[title] ?? TitleTotal()
        total.count += count
        if known { total.known += count }
        if titlesInBoot.insert(title).inserted { total.boots += 1 }
        total.level = max(total.level, level)
        if titlesInInput.insert(title).inserted {
            total.inputs += 1
            // By name, not scan order, so that merged shards give the same totals.
            if total.firstInput.isEmpty || path < total.firstInput { total.firstInput = path }
            if path > total.lastInput { total.lastInput = path }
        }
        titles[title] = total
    }

    /// Ends an input: its status and sizes (its boots were added one by one).
    public mutating func finishInput(_ input: InputResult) {
        inputs += 1
        status[input.status.rawValue, default: 0] += 1
        lines += input.lines
        bytes += input.bytes
        titlesInInput.removeAll(keepingCapacity: true)
    }

    public var json: JSONValue {
        .object([
            ("inputs", .object(["ok", "partial", "error"].map { ($0, .int(status[$0] ?? 0)) })),
            ("lines", .int(lines)),
            ("bytes", .int(bytes)),
            ("boots", .int(boots)),
            ("verdicts", .object(verdicts.sorted { $0.key < $1.key }.map { id, counts in
                (id, .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))
            })),
            ("findings", .object(titles.sorted { $0.key < $1.key }.map { title, total in
                (title, .object([
                    ("count", .int(total.count)), ("boots", .int(total.boots)), ("inputs", .int(total.inputs)),
                ] + (total.known > 0 ? [("known", .int(total.known))] : []) + [
                    ("level", .string(total.level.rawValue)),
                    ("first_input", .string(total.firstInput)), ("last_input", .string(total.lastInput)),
                ]))
            })),
            ("kernels", .object(kernels.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
        ])
    }

    /// A table for people.
    public var text: String {
        var out = "\nSummary: \(inputs) inputs (\(status["ok"] ?? 0) ok, \(status["partial"] ?? 0) partial, \(status["error"] ?? 0) error), \(boots) boots, \(lines) lines\n"
        if !verdicts.isEmpty {
            out += "  invariant verdicts:\n"
            for (id, counts) in verdicts.sorted(by: { $0.key < $1.key }) {
                let parts = ["pass", "fail", "unknown", "not_applicable"].compactMap { key in counts[key].map { "\(key) \($0)" } }
                out += "    \(id): \(parts.joined(separator: ", "))\n"
            }
        }
        if !titles.isEmpty {
            // Folded by title: a title printed 285 times in one boot is one boot (×285).
            out += "  findings by title (boots of \(boots), times printed, inputs, first input):\n"
            for (title, total) in titles.sorted(by: { ($0.value.boots, $0.value.count, $1.key) > ($1.value.boots, $1.value.count, $0.key) }).prefix(40) {
                let pad = String(repeating: " ", count: max(1, 7 - String(total.boots).count))
                let known = total.known > 0 ? "  (known \(total.known))" : ""
                out += "    \(pad)\(total.boots)  ×\(total.count)  \(total.inputs)  \(TextReport.escapeControls(title))  [\(TextReport.escapeControls(total.firstInput))]\(known)\n"
            }
        }
        if let knownIssues {
            let problems = knownIssues.notices
            out += "  known issues: \(knownIssues.entries) entries in \(TextReport.escapeControls(knownIssues.file))"
            out += problems.isEmpty ? ", none stale or expired\n" : "\n" + problems.map { "    \(TextReport.escapeControls($0))\n" }.joined()
        }
        if !kernels.isEmpty {
            out += "  kernels: " + kernels.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(12).map { "\(TextReport.escapeControls($0.key)) (\($0.value))" }.joined(separator: ", ") + "\n"
        }
        return out
    }
}
