/// KCIDB, streamed: incidents go to a spill file as boots end; issues, one per signature,
/// are held (bounded by distinct signatures) and written before them at the end.
public struct KCIDBWriter: ResultWriter {
    let emit: (String) -> Void
    let report: KCIDBReport
    let rules: RuleSet
    let pretty: Bool
    private var issues: [String: JSONValue] = [:]
    private let incidents = SpillBuffer()
    private var incidentStream: JSONStream
    private var incidentCount = 0

    public init(report: KCIDBReport, rules: RuleSet, pretty: Bool, emit: @escaping (String) -> Void) {
        self.report = report
        self.rules = rules
        self.pretty = pretty
        self.emit = emit
        incidentStream = JSONStream(pretty: pretty, depth: 2)
    }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        for incident in report.incidents(boot, input: input, rules: rules, issues: &issues) {
            incidentStream.value(incident)
            incidentCount += 1
        }
        incidents.append(incidentStream.take())
    }

    public mutating func finishInput(_ result: InputResult) {}

    public mutating func finish(_ totals: ArchiveTotals) {
        var stream = JSONStream(pretty: pretty)
        stream.open("{")
        stream.value(KCIDBReport.version, key: "version")
        stream.value(.array(issues.sorted { $0.key < $1.key }.map(\.value)), key: "issues")
        stream.open("[", key: "incidents")
        emit(stream.take())
        incidents.drain(emit)
        stream.wrote(incidentCount)
        stream.close("]")
        stream.close("}")
        emit(stream.take() + "\n")
    }
}
