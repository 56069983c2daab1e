/// What a comparison needs of one boot, from a scan or from a JSON summary: its kernel, its
/// titles folded (each once, with how often the boot printed it), and its failed invariants.
public struct BootDigest: Sendable {
    public struct Title: Sendable {
        public var title: String
        public var rule: String
        public var level: Level
        public var count: Int
        public var known: KnownMark?

        public init(title: String, rule: String, level: Level, count: Int, known: KnownMark? = nil) {
            self.title = title
            self.rule = rule
            self.level = level
            self.count = count
            self.known = known
        }
    }

    public struct Failure: Sendable {
        public var invariant: String
        public var level: Level
        public var enforced: Bool
        public var message: String
        public var known: KnownMark?
    }

    public var kernel: String?
    public var titles: [Title] = []
    public var failures: [Failure] = []
    /// Invariants the boot decided (pass or fail): the boots a failure rate is counted over.
    public var decided: [String] = []

    public init(kernel: String?, titles: [Title] = [], failures: [Failure] = [], decided: [String] = []) {
        self.kernel = kernel
        self.titles = titles
        self.failures = failures
        self.decided = decided
    }

    public init(_ boot: BootResult) {
        kernel = boot.kernel?.release
        var order: [String] = []
        var byTitle: [String: Title] = [:]
        func add(_ title: String, _ rule: String, _ level: Level, _ count: Int, _ known: KnownMark?) {
            if byTitle[title] == nil {
                order.append(title)
                byTitle[title] = Title(title: title, rule: rule, level: level, count: 0, known: known)
            }
            byTitle[title]!.count += count
            byTitle[title]!.level = max(byTitle[title]!.level, level)
        }
        for f in boot.findings { add(f.title, f.rule, f.level, 1, f.known) }
        for d in boot.droppedFindings { add(d.title, d.rule, d.level, d.count, d.known) }
        titles = order.map { byTitle[$0]! }
        decided = boot.invariants.filter { $0.outcome == .pass || $0.outcome == .fail }.map(\.id)
        failures = boot.invariants.filter { $0.outcome == .fail }.map {
            Failure(invariant: $0.id, level: $0.level, enforced: $0.enforced, message: $0.message, known: $0.known)
        }
    }

    /// A boot object of a `dmesgscan/1` summary; known marks are those the summary carries.
    public init(summaryBoot boot: JSONValue) {
        if case .string(let version)? = boot["kernel"]?["version"] { kernel = version }
        var order: [String] = []
        var byTitle: [String: Title] = [:]
        func known(_ value: JSONValue?) -> KnownMark? {
            guard case .string(let entry)? = value?["entry"] else { return nil }
            func text(_ key: String) -> String? { if case .string(let s)? = value?[key] { return s } else { return nil } }
            return KnownMark(entry: entry, reason: text("reason"), link: text("link"))
        }
        func add(_ item: JSONValue, count: Int) {
            guard case .string(let title)? = item["title"] else { return }
            var rule = ""
            if case .string(let r)? = item["rule"] { rule = r }
            var level = Level.info
            if case .string(let l)? = item["level"] { level = Level(name: l) ?? .info }
            if byTitle[title] == nil {
                order.append(title)
                byTitle[title] = Title(title: title, rule: rule, level: level, count: 0, known: known(item["known"]))
            }
            byTitle[title]!.count += count
            byTitle[title]!.level = max(byTitle[title]!.level, level)
        }
        if case .array(let findings)? = boot["findings"] { for f in findings { add(f, count: 1) } }
        if case .array(let dropped)? = boot["findings_dropped"] {
            for d in dropped {
                var count = 1
                if case .int(let n)? = d["count"] { count = n }
                add(d, count: count)
            }
        }
        titles = order.map { byTitle[$0]! }
        if case .array(let verdicts)? = boot["invariants"] {
            for v in verdicts {
                guard case .string(let id)? = v["id"] else { continue }
                if v["verdict"] == .string("pass") { decided.append(id) }
                guard v["verdict"] == .string("fail") else { continue }
                decided.append(id)
                var level = Level.info
                if case .string(let l)? = v["level"] { level = Level(name: l) ?? .info }
                var message = ""
                if case .string(let m)? = v["message"] { message = m }
                failures.append(Failure(invariant: id, level: level, enforced: v["enforced"] == .bool(true), message: message, known: known(v["known"])))
            }
        }
    }

    /// Marks what a known-issues file lists. The file given now decides, over marks a summary
    /// carries from the file of its own run.
    public mutating func mark(with list: KnownIssueList) {
        let version = kernel.flatMap { KernelVersion(release: $0) }
        for index in titles.indices {
            titles[index].known = list.mark(title: titles[index].title, kernel: version)
        }
        for index in failures.indices {
            failures[index].known = list.mark(invariant: failures[index].invariant, message: failures[index].message, kernel: version)
        }
    }
}
