#if canImport(Glibc)
import Glibc
#endif

/// Compiled rules: PCRE2 patterns, the literal prefilter, and the invariants.
///
/// Holds per-thread match state, so each worker builds its own from the same `RuleLoader`.
public final class RuleSet {
    public let rules: [Rule]
    public let invariants: [Invariant]
    public let digest: String
    private let regexes: [PCRE2Regex]
    private let prefixIndex: PrefixIndex
    private let prefilter: LiteralPrefilter
    private let literalOwners: [[Int]]
    private let gramRules: Bool
    /// Rules the prefilter cannot help (no literal): run on every line.
    private let unfiltered: [Int]
    /// Frame, RIP and trace-continuation rules: run by report grouping on the lines of open reports only.
    public let contextualRules: [Int]
    /// For each contextual rule, the declared `prefixes:` or `literal:` a line must have
    /// before its regex runs (report lines are many; most are not RIP or lock lines).
    private var contextualFilter: [(prefixes: [[UInt8]], literal: [UInt8]?)]

    public let frames: FrameNamer
    /// Title normalization and 0-day ids, with this rule set's own match data.
    public let titles = TitleNormalizer()
    /// Each rule's frame search (used for report banners).
    public let stackPlans: [StackPlan]
    private let indexByID: [String: Int]
    private var stamp: [Int]
    private var generation = 0

    public init(_ loaded: RuleLoader) throws(RuleError) {
        var regexes: [PCRE2Regex] = []
        var literals: [[UInt8]] = []
        var literalIndex: [String: Int] = [:]
        var owners: [[Int]] = []
        var unfiltered: [Int] = []
        var contextual: [Int] = []
        var prefixes: [(prefix: [UInt8], rule: Int)] = []
        var indexByID: [String: Int] = [:]
        var stackPlans: [StackPlan] = []
        for (index, rule) in loaded.rules.enumerated() {
            do { stackPlans.append(try StackPlan(rule)) } catch {
                throw RuleError(rule.location, "stack of `\(rule.id)` does not compile: \(error)")
            }
            if indexByID[rule.id] != nil { throw RuleError(rule.location, "duplicate rule id `\(rule.id)`") }
            indexByID[rule.id] = index
            do { regexes.append(try PCRE2Regex(rule.pattern)) } catch {
                throw RuleError(rule.location, "pattern of `\(rule.id)` does not compile: \(error)")
            }
            let literal: String
            switch PrefilterPlan.plan(for: rule) {
            case .contextual:
                contextual.append(index)
                continue
            case .prefixes(let starts):
                prefixes += starts.map { (Array($0.utf8), index) }
                continue
            case .everyLine:
                unfiltered.append(index)
                continue
            case .literal(let text):
                literal = text
            }
            if let existing = literalIndex[literal] {
                owners[existing].append(index)
            } else {
                literalIndex[literal] = literals.count
                literals.append(Array(literal.utf8))
                owners.append([index])
            }
        }
        for invariant in loaded.invariants {
            for id in [invariant.event?.rule, invariant.refusedBy?.rule].compactMap({ $0 }) + invariant.hazardRules + (invariant.explains?.rules ?? []) where indexByID[id] == nil {
                throw RuleError(invariant.location, "invariant `\(invariant.id)` names unknown rule `\(id)`")
            }
        }
        let frames: FrameNamer
        do { frames = try FrameNamer(skip: loaded.skipFrames, strip: loaded.frameStrip, stallAnchors: loaded.stallAnchors) } catch {
            throw RuleError(SourceLocation(file: "guilty_frame_skip/frame_strip/stall_anchor_frames", line: 0, column: 0), "\(error)")
        }
        self.rules = loaded.rules
        self.invariants = loaded.invariants
        self.digest = loaded.digest.hex
        self.regexes = regexes
        self.prefixIndex = PrefixIndex(prefixes)
        self.prefilter = LiteralPrefilter(literals: literals)
        self.gramRules = !literals.isEmpty
        self.literalOwners = owners
        self.unfiltered = unfiltered
        self.contextualRules = contextual
        self.frames = frames
        self.stackPlans = stackPlans
        self.indexByID = indexByID
        self.stamp = [Int](repeating: -1, count: loaded.rules.count)
        self.contextualFilter = [(prefixes: [[UInt8]], literal: [UInt8]?)](repeating: ([], nil), count: loaded.rules.count)
        for index in contextual {
            let rule = loaded.rules[index]
            contextualFilter[index] = (rule.prefixes.map { Array($0.utf8) }, rule.literal.map { Array($0.utf8) })
        }
    }

    /// Whether the rule's pattern has named captures (a continuation rule without them only
    /// says that a line belongs to the report).
    public func hasCaptures(_ rule: Int) -> Bool { !regexes[rule].groupNames.isEmpty }

    /// The numbers of the rule's groups called `name`, the pattern's last first: the order in
    /// which `ContextualMatch.field` tries them.
    public func groupNumbers(_ rule: Int, named name: String) -> [Int] {
        regexes[rule].groupNames.reversed().filter { $0.name == name }.map(\.number)
    }

    static func contains(_ text: UnsafeRawBufferPointer, _ literal: [UInt8]) -> Bool {
        guard let base = text.baseAddress, let first = literal.first, literal.count <= text.count else { return false }
        var offset = 0
        let last = text.count - literal.count
        while offset <= last, let hit = memchr(base + offset, Int32(first), last - offset + 1) {
            offset = base.distance(to: UnsafeRawPointer(hit))
            if literal.withUnsafeBytes({ memcmp(base + offset, $0.baseAddress!, literal.count) }) == 0 { return true }
            offset += 1
        }
        return false
    }

    /// Runs a contextual rule on a line of an open report, after its cheap filter.
    /// The match is read in place, inside `found` only.
    public func runContextual(_ rule: Int, _ record: Record, _ found: (ContextualMatch) -> Void) {
        let filter = contextualFilter[rule]
        let message = record.message
        if !filter.prefixes.isEmpty {
            let admitted = filter.prefixes.contains { prefix in
                prefix.count <= message.count && prefix.withUnsafeBytes { memcmp(message.baseAddress!, $0.baseAddress!, prefix.count) == 0 }
            }
            if !admitted { return }
        }
        if let literal = filter.literal, !RuleSet.contains(message, literal) { return }
        // The regex is used without a retain and release (two atomic operations per rule per
        // line of a report): the rule set holds it for as long as it lives.
        regexes.withUnsafeBufferPointer { regexes in
            Unmanaged.passUnretained(regexes[rule])._withUnsafeGuaranteedRef { regex in
                guard case .match = regex.match(message) else { return }
                found(ContextualMatch(regex: regex, message: message))
            }
        }
    }

    public func index(of id: String) -> Int? { indexByID[id] }

    /// The named captures of the regex's last match in `message`.
    private static func captures(of regex: PCRE2Regex, in message: UnsafeRawBufferPointer) -> [String: String] {
        // Sized at once: grown from empty, it was allocated twice or three times per event.
        var fields = [String: String](minimumCapacity: regex.groupNames.count)
        for (name, number) in regex.groupNames {
            if let range = regex.groupRange(number) {
                fields[name] = String(decoding: UnsafeRawBufferPointer(rebasing: message[range]), as: UTF8.self)
            }
        }
        return fields
    }

    /// Runs every rule whose literal occurs in the record's message; calls `found` per match.
    /// A rule that hits a PCRE2 limit is reported through `failed` and skipped for this line.
    public func match(_ record: Record, _ found: (Event) -> Void, failed: (Int, Int32) -> Void) {
        withUnsafePointer(to: record) { match(at: $0, found, failed: failed) }
    }

    /// The same on a record where it lies (a batch's entry): passed by value, the 160-byte
    /// record was copied out first on every line.
    func match(at pointer: UnsafePointer<Record>, _ found: (Event) -> Void, failed: (Int, Int32) -> Void) {
        generation += 1
        let message = pointer.pointee.message
        prefixIndex.forEachRule(startingWith: message) { rule in
            if stamp[rule] != generation {
                stamp[rule] = generation
                run(rule, pointer.pointee, found, failed)
            }
        }
        if gramRules {
            prefilter.forEachLiteral(in: message) { literal in
                for rule in literalOwners[literal] where stamp[rule] != generation {
                    stamp[rule] = generation
                    run(rule, pointer.pointee, found, failed)
                }
            }
        }
        for rule in unfiltered { run(rule, pointer.pointee, found, failed) }
    }

    /// Runs one rule on a record (used for the contextual frame rules).
    public func run(_ rule: Int, _ record: Record, _ found: (Event) -> Void, _ failed: (Int, Int32) -> Void) {
        let regex = regexes[rule]
        switch regex.match(record.message) {
        case .noMatch: return
        case .error(let code): failed(rule, code)
        case .match:
            let fields = RuleSet.captures(of: regex, in: record.message)
            var event = Event(
                rule: rule, line: record.lineNumber, timestamp: record.timestamp, caller: record.caller,
                fields: fields, text: String(decoding: record.message, as: UTF8.self))
            if let micros = record.wallClockMicros {
                event.wallClock = WallClock.iso8601(unixMicros: micros)
            } else if let text = record.wallClock {
                event.wallClock = WallClock.iso8601(text: String(decoding: text, as: UTF8.self))
            }
            event.host = record.host.map { String(decoding: $0, as: UTF8.self) }
            found(event)
        }
    }
}
