/// One side of a comparison (a baseline or a new run): its boots and inputs, and every title
/// and invariant failure folded by boot.
public struct SideTally: Sendable {
    public var boots = 0
    public var inputs = 0
    public var inputErrors = 0
    /// Keys of every input of the side, to tell inputs both sides ran from inputs only one did.
    public var inputKeys = Set<String>()
    public var items: [ComparisonKey: ItemTally] = [:]
    /// Boots that decided each invariant (pass or fail).
    public var decided: [String: Int] = [:]
    /// What the side was made from (paths as given), for the report.
    public var sources: [String] = []
    /// Digests of the rules the side's scans or summaries were made with.
    public var rulesDigests = Set<String>()

    public init() {}

    /// The boots an item's rate is counted over: all boots for a title, the boots that
    /// decided the invariant for its failures.
    public func boots(for key: ComparisonKey) -> Int {
        key.kind == .title ? boots : decided[key.name] ?? 0
    }

    /// An input's key: its path relative to the argument it was found under (a directory of
    /// the side, or the common folder of a summary's inputs), so that `old/board7.log` and
    /// `new/board7.log` are the same input run twice.
    public static func key(_ path: String, under root: String?) -> String {
        if let root, !root.isEmpty, path.hasPrefix(root) {
            let rest = path.dropFirst(root.count).drop { $0 == "/" }
            if !rest.isEmpty { return String(rest) }
        }
        return String(path.split(separator: "/").last ?? Substring(path))
    }

    /// The longest folder that every path lies in (`a/b/` of `a/b/x.log` and `a/b/c/y.log`).
    public static func commonFolder(_ paths: [String]) -> String? {
        guard var prefix = paths.first.map({ Array($0.split(separator: "/", omittingEmptySubsequences: false).dropLast()) }) else { return nil }
        for path in paths.dropFirst() {
            let parts = Array(path.split(separator: "/", omittingEmptySubsequences: false).dropLast())
            var n = 0
            while n < prefix.count && n < parts.count && prefix[n] == parts[n] { n += 1 }
            prefix = Array(prefix.prefix(n))
        }
        return prefix.isEmpty ? nil : prefix.joined(separator: "/") + "/"
    }

    public mutating func addInput(key: String, error: Bool) {
        inputs += 1
        inputKeys.insert(key)
        if error { inputErrors += 1 }
    }

    public mutating func add(_ boot: BootDigest, input path: String, key: String) {
        boots += 1
        for id in boot.decided { decided[id, default: 0] += 1 }
        func update(_ itemKey: ComparisonKey, level: Level, rule: String, count: Int, enforced: Bool, known: KnownMark?) {
            var tally = items[itemKey] ?? ItemTally()
            tally.boots += 1
            tally.occurrences += count
            tally.level = max(tally.level, level)
            if tally.rule.isEmpty { tally.rule = rule }
            if tally.firstInput.isEmpty || path < tally.firstInput { tally.firstInput = path }
            if let kernel = boot.kernel { tally.kernels.insert(kernel) }
            tally.inputKeys.insert(key)
            if enforced { tally.enforced += 1 }
            if tally.known == nil { tally.known = known }
            if known == nil { tally.unknownBoots += 1 }
            items[itemKey] = tally
        }
        for t in boot.titles { update(ComparisonKey(.title, t.title), level: t.level, rule: t.rule, count: t.count, enforced: false, known: t.known) }
        for f in boot.failures {
            update(ComparisonKey(.invariant, f.invariant), level: f.level, rule: f.invariant, count: 1, enforced: f.enforced, known: f.known)
        }
    }
}
