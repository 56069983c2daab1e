import Synchronization
import Yams

/// A known-issues file (`--known FILE`): findings and verdicts it lists are marked `known`
/// in every output and do not fail the run. Entries that matched nothing are stale, and
/// entries past their `expires` date no longer match and are listed as expired.
///
///     known:
///       - title: "WARNING in foo_probe"
///         reason: vendor firmware, fixed in 7.2
///         link: https://bugs.example.org/123
///         kernels: ">= 6.8, < 7.2"
///         expires: 2027-03-01
///       - match: '^INFO: task .* blocked'
///       - invariant: x86.smp-locks-after-page-alloc-init-late
public final class KnownIssueList: @unchecked Sendable {
    public let entries: [KnownIssue]
    /// Seconds since the epoch that `expires` dates are compared with.
    public let now: Double
    private let hits: Mutex<[Int]>

    public init(entries: [KnownIssue], now: Double) {
        self.entries = entries
        self.now = now
        self.hits = Mutex(Array(repeating: 0, count: entries.count))
    }

    public convenience init(file: String, now: Double) throws(RuleError) {
        try self.init(yaml: try RuleFile.read(file, kind: "known-issues file"), file: file, now: now)
    }

    public convenience init(yaml text: String, file: String, now: Double) throws(RuleError) {
        let root: Node?
        do { root = try Yams.compose(yaml: text, .basic) } catch {
            throw RuleError(RuleLoader.location(of: error, in: file), "YAML: \(error)")
        }
        var entries: [KnownIssue] = []
        if let root {
            let doc = YAMLView(node: root, file: file)
            let list: YAMLView
            if root.mapping != nil {
                try doc.rejectUnknownKeys(["known"])
                guard let items = doc.child("known") else { throw RuleError(doc.location, "expected `known:` with a list of entries") }
                list = items
            } else {
                list = doc
            }
            for item in try list.items() { entries.append(try KnownIssueList.parse(item)) }
        }
        self.init(entries: entries, now: now)
    }

    static func parse(_ item: YAMLView) throws(RuleError) -> KnownIssue {
        try item.rejectUnknownKeys(["title", "match", "invariant", "kernels", "reason", "link", "expires"])
        var entry = KnownIssue(location: item.location)
        entry.title = try item.child("title")?.string()
        entry.invariant = try item.child("invariant")?.string()
        entry.reason = try item.child("reason")?.string()
        entry.link = try item.child("link")?.string()
        if let node = item.child("match") {
            let pattern = try node.string()
            do { entry.regex = try PCRE2Regex(pattern) } catch {
                var at = node.contentLocation
                at.column += error.offset
                throw RuleError(at, "bad regex: \(error.message)")
            }
            entry.pattern = pattern
        }
        if entry.title != nil && entry.pattern != nil {
            throw RuleError(item.location, "an entry takes `title:` or `match:`, not both")
        }
        if entry.title == nil && entry.pattern == nil && entry.invariant == nil {
            throw RuleError(item.location, "an entry needs `title:`, `match:` or `invariant:`")
        }
        if entry.title != nil && entry.invariant != nil {
            throw RuleError(item.location, "`invariant:` entries match a verdict's message with `match:`, not `title:`")
        }
        if let node = item.child("kernels") {
            let text = try node.string()
            guard let range = VersionRange(text) else {
                throw RuleError(node.location, "`kernels:` takes comparisons joined by commas, e.g. \">= 6.8, < 7.2\"; not `\(text)`")
            }
            entry.kernels = range
        }
        if let node = item.child("expires") {
            let text = try node.string()
            guard text.count == 10, let start = WallClock.unixSeconds(iso: text + "T00:00:00Z") else {
                throw RuleError(node.location, "`expires:` takes a date, YYYY-MM-DD; not `\(text)`")
            }
            entry.expires = text
            entry.expiresAt = start + 86_399
        }
        return entry
    }

    /// The first live entry matching a finding's title on this kernel.
    public func mark(title: String, kernel: KernelVersion?) -> KnownMark? {
        first { $0.matches(title: title) && $0.kernelMatches(kernel) }
    }

    /// The first live entry matching a failed verdict.
    public func mark(invariant id: String, message: String, kernel: KernelVersion?) -> KnownMark? {
        first { $0.matches(invariant: id, message: message) && $0.kernelMatches(kernel) }
    }

    private func first(_ predicate: (KnownIssue) -> Bool) -> KnownMark? {
        for (index, entry) in entries.enumerated() where !entry.isExpired(at: now) && predicate(entry) {
            hits.withLock { $0[index] += 1 }
            return entry.mark
        }
        return nil
    }

    /// Marks the boot's findings, dropped-finding counts and failed verdicts.
    public func mark(_ boot: inout BootResult) {
        for index in boot.findings.indices {
            boot.findings[index].known = mark(title: boot.findings[index].title, kernel: boot.kernel)
        }
        for index in boot.droppedFindings.indices {
            boot.droppedFindings[index].known = mark(title: boot.droppedFindings[index].title, kernel: boot.kernel)
        }
        for index in boot.invariants.indices where boot.invariants[index].outcome == .fail {
            let verdict = boot.invariants[index]
            boot.invariants[index].known = mark(invariant: verdict.id, message: verdict.message, kernel: boot.kernel)
        }
    }

    /// How many findings and verdicts each entry has matched so far.
    public var matchCounts: [Int] { hits.withLock { $0 } }

    /// Live entries that matched nothing.
    public var stale: [KnownIssue] {
        let counts = matchCounts
        return entries.indices.filter { counts[$0] == 0 && !entries[$0].isExpired(at: now) }.map { entries[$0] }
    }

    public var expired: [KnownIssue] { entries.filter { $0.isExpired(at: now) } }
}
