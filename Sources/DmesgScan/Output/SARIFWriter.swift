/// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers: a result per finding and
/// per failed enforced invariant, with its rule, level, message and the log's line range;
/// `partialFingerprints` carry the stable report signature, so a viewer matches a finding
/// across runs. Results are spilled as boots end; the rules used are listed at the end.
public struct SARIFWriter: ResultWriter {
    let emit: (String) -> Void
    let rules: RuleSet
    let toolVersion: String
    private let results = SpillBuffer()
    private var resultStream = JSONStream(pretty: false, depth: 4)
    private var resultCount = 0
    private var used: [String: (name: String, level: Level)] = [:]
    private let ruleNames: [String: String]

    public init(rules: RuleSet, toolVersion: String, emit: @escaping (String) -> Void) {
        self.rules = rules
        self.toolVersion = toolVersion
        self.emit = emit
        ruleNames = Dictionary(rules.rules.map { ($0.id, RuleExport.name(of: $0)) }, uniquingKeysWith: { first, _ in first })
    }

    static func level(_ level: Level) -> String {
        switch level {
        case .critical, .error: return "error"
        case .warning: return "warning"
        default: return "note"
        }
    }

    /// A relative URI reference: unreserved characters and `/` stay, the rest is
    /// percent-encoded (an archive member's `a.tar:x.log` would read as a scheme).
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E, 0x2F: out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    private mutating func add(
        rule: String, name: String, level: Level, message: String, input: String, line: Int, endLine: Int, fingerprint: String, known: KnownMark?
    ) {
        if used[rule] == nil { used[rule] = (name, level) }
        let region: JSONValue = .object([("startLine", .int(max(line, 1))), ("endLine", .int(max(endLine, line, 1)))])
        // A known issue is a result with an external suppression, as SARIF viewers hide it.
        let suppressions: [(String, JSONValue)] = known.map { mark in
            [("suppressions", .array([.object([("kind", .string("external")), ("justification", .string(mark.summary))])]))]
        } ?? []
        resultStream.value(.object(suppressions + [
            ("ruleId", .string(rule)), ("level", .string(SARIFWriter.level(level))), ("message", .object([("text", .string(message))])),
            ("locations", .array([.object([("physicalLocation", .object([
                ("artifactLocation", .object([("uri", .string(SARIFWriter.uri(input)))])), ("region", region),
            ]))])])),
            ("partialFingerprints", .object([("dmesgscanSignature/v1", .string(fingerprint))])),
        ]))
        resultCount += 1
    }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        for f in boot.findings {
            add(rule: f.rule, name: ruleNames[f.rule] ?? f.rule, level: f.level, message: f.title, input: input,
                line: f.line, endLine: f.endLine, fingerprint: f.signature, known: f.known)
        }
        for v in boot.invariants where v.outcome == .fail && v.enforced {
            let lines = v.evidence.map(\.line)
            add(rule: v.id, name: v.title, level: v.level, message: v.message, input: input, line: lines.min() ?? boot.firstLine,
                endLine: lines.max() ?? boot.firstLine, fingerprint: "invariant:\(v.id)", known: v.known)
        }
        results.append(resultStream.take())
    }

    public mutating func finishInput(_ result: InputResult) {}

    public mutating func finish(_ totals: ArchiveTotals) {
        let driverRules: [JSONValue] = used.sorted { $0.key < $1.key }.map { id, rule in
            .object([
                ("id", .string(id)), ("shortDescription", .object([("text", .string(rule.name.isEmpty ? id : rule.name))])),
                ("defaultConfiguration", .object([("level", .string(SARIFWriter.level(rule.level)))])),
            ])
        }
        var stream = JSONStream(pretty: false)
        stream.open("{")
        stream.value(.string("https://json.schemastore.org/sarif-2.1.0.json"), key: "$schema")
        stream.value(.string("2.1.0"), key: "version")
        stream.open("[", key: "runs")
        stream.open("{")
        stream.value(.object([("driver", .object([
            ("name", .string("dmesgscan")), ("version", .string(toolVersion)),
            ("rules", .array(driverRules)),
        ]))]), key: "tool")
        stream.open("[", key: "results")
        emit(stream.take())
        results.drain(emit)
        stream.wrote(resultCount)
        stream.close("]")
        stream.close("}")
        stream.close("]")
        stream.close("}")
        emit(stream.take() + "\n")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
