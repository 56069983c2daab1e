/// KCIDB v5.3 (kcidb-io): one issue per report signature and per failed enforced invariant,
/// one incident per boot and issue. Ids are `origin:…` and stable (FNV-1a hashes), so
/// resubmitting the same logs updates rather than duplicates.
public struct KCIDBReport {
    public var origin: String
    public var testID: String?
    public var buildID: String?

    public init(origin: String, testID: String? = nil, buildID: String? = nil) {
        self.origin = origin
        self.testID = testID
        self.buildID = buildID
    }

    /// Origins must match `^[a-z0-9_]+$`.
    public static func isValidOrigin(_ origin: String) -> Bool {
        !origin.isEmpty && origin.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// Object ids are `origin:local`, with a valid origin and a non-empty rest.
    public static func isValidID(_ id: String) -> Bool {
        guard let colon = id.firstIndex(of: ":") else { return false }
        return isValidOrigin(String(id[..<colon])) && id.index(after: colon) < id.endIndex
    }

    /// Computed, not a stored global: LeakSanitizer reports a once-initialised global whose
    /// boxes it cannot see from the data section, and exits 1.
    static var version: JSONValue { .object([("major", .int(5)), ("minor", .int(3))]) }

    public func document(_ inputs: [InputResult], rules: RuleSet) -> JSONValue {
        var issues: [String: JSONValue] = [:]
        var incidents: [JSONValue] = []
        for input in inputs {
            for boot in input.boots {
                incidents += self.incidents(boot, input: input.path, rules: rules, issues: &issues)
            }
        }
        return .object([
            ("version", KCIDBReport.version),
            ("issues", .array(issues.sorted { $0.key < $1.key }.map(\.value))),
            ("incidents", .array(incidents)),
        ])
    }

    /// A boot's incidents, one per issue it shows (a WARN printed 285 times in a boot is one
    /// incident, its count in `misc`); the issue is added to `issues` the first time it is
    /// seen (the issue object is built only then).
    func incidents(_ boot: BootResult, input: String, rules: RuleSet, issues: inout [String: JSONValue]) -> [JSONValue] {
        var incidents: [JSONValue] = []
        var seen: [String: Int] = [:]
        for f in boot.findings { seen["\(origin):\(f.signature)", default: 0] += 1 }
        for f in boot.findings {
            let issueID = "\(origin):\(f.signature)"
            if issues[issueID] == nil { issues[issueID] = .object([
                ("id", .string(issueID)), ("version", .int(1)), ("origin", .string(origin)),
                ("report_subject", .string(f.title)),
                ("comment", .string(f.title)),
                ("categories", .array([.string(category(f))])),
                ("culprit", .object([("code", .bool(true)), ("tool", .bool(false)), ("harness", .bool(false))])),
                ("misc", .object([
                    ("rule", .string(f.rule)), ("level", .string(f.level.rawValue)), ("lkp_id", .string(f.lkpID)),
                    ("guilty_frame", f.guiltyFrame.map { .string($0) } ?? .null), ("dmesgscan_rules", .string(rules.digest)),
                ])),
            ]) }
            guard let count = seen.removeValue(forKey: issueID) else { continue }  // the boot's first one stands for all
            incidents.append(incident(issueID, input: input, boot: boot, line: f.line, comment: f.title, count: count, known: f.known))
        }
        for v in boot.invariants where v.outcome == .fail && v.enforced {
            let issueID = "\(origin):invariant.\(v.id)"
            if issues[issueID] == nil { issues[issueID] = .object([
                ("id", .string(issueID)), ("version", .int(1)), ("origin", .string(origin)),
                ("report_subject", .string(v.title.isEmpty ? v.id : v.title)),
                ("comment", .string("boot-order invariant \(v.id) failed")),
                ("categories", .array([.string("runtime.boot_order")])),
                ("culprit", .object([("code", .bool(true)), ("tool", .bool(false)), ("harness", .bool(false))])),
                ("misc", .object([("invariant", .string(v.id)), ("dmesgscan_rules", .string(rules.digest))])),
            ]) }
            incidents.append(incident(issueID, input: input, boot: boot, line: v.evidence.first?.line ?? boot.firstLine, comment: v.message, count: 1, known: v.known))
        }
        return incidents
    }

    /// The id follows KernelCI's logspec (a hash of the result, the issue and its version):
    /// the test id when there is one, so two tests of one log never collide; else the
    /// input and boot.
    private func incident(_ issueID: String, input: String, boot: BootResult, line: Int, comment: String, count: Int, known: KnownMark?) -> JSONValue {
        var hash = FNV1a64()
        let result = testID.map { "\($0)\u{0}\(input)\u{0}\(boot.index)" } ?? "\(input)\u{0}\(boot.index)"
        hash.add("\(result)\u{0}\(issueID)\u{0}1")
        var pairs: [(String, JSONValue)] = [
            ("id", .string("\(origin):\(hash.hex)")), ("origin", .string(origin)),
            ("issue_id", .string(issueID)), ("issue_version", .int(1)), ("present", .bool(true)),
            ("comment", .string("\(input) boot \(boot.index + 1) line \(line): \(comment)")),
        ]
        if let testID { pairs.append(("test_id", .string(testID))) }
        if let buildID { pairs.append(("build_id", .string(buildID))) }
        var misc: [(String, JSONValue)] = [("input", .string(input)), ("boot", .int(boot.index + 1)), ("line", .int(line)), ("count", .int(count))]
        // A known issue is still present; `misc.known` says a lab expects it, and why.
        if let known { misc.append(("known", .object([("entry", .string(known.entry)), ("reason", known.reason.map { .string($0) } ?? .null)]))) }
        pairs.append(("misc", .object(misc)))
        return .object(pairs)
    }

    private func category(_ f: Finding) -> String {
        switch f.level {
        case .critical: return "runtime.panic"
        case .error: return "runtime.oops"
        default: return "runtime.warning"
        }
    }
}
