/// The JSON summary, streamed: each input object writes its `boots` array as boots end and
/// its counters after it, and the totals come last. Nothing but the open input is held.
public struct JSONSummaryWriter: ResultWriter {
    let emit: (String) -> Void
    private var stream: JSONStream
    private var inputOpen = false
    /// A shard's inputs carry their canonical path too, which `merge` compares.
    private let writesCanonicalPaths: Bool

    public init(rules: RuleSet, toolVersion: String, pretty: Bool, shard: ShardInfo? = nil, emit: @escaping (String) -> Void) {
        self.emit = emit
        writesCanonicalPaths = shard != nil
        stream = JSONStream(pretty: pretty)
        stream.open("{")
        for (key, value) in SummaryJSON.header(rules: rules, toolVersion: toolVersion) { stream.value(value, name: key) }
        if let shard { stream.value(shard.json, key: "shard") }
        stream.open("[", key: "inputs")
    }

    /// Text is handed to `emit` in pieces of about this size, not a boot at a time: a batch
    /// of small files has a boot each, and a write for each cost the writing thread more
    /// than making their JSON. Nothing can read a JSON document before its end anyway.
    public static let emitSize = 1 << 16

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        openInput(input)
        SummaryJSON.write(boot, into: &stream)
        if stream.count >= JSONSummaryWriter.emitSize { emit(stream.take()) }
    }

    public mutating func finishInput(_ result: InputResult) {
        openInput(result.path)
        stream.close("]")
        for (key, value) in SummaryJSON.counters(result) { stream.value(value, name: key) }
        stream.close("}")
        inputOpen = false
        if stream.count >= JSONSummaryWriter.emitSize { emit(stream.take()) }
    }

    public mutating func finish(_ totals: ArchiveTotals) {
        stream.close("]")
        stream.value(totals.json, key: "totals")
        if let known = totals.knownIssues { stream.value(known.json, key: "known_issues") }
        stream.close("}")
        emit(stream.take() + "\n")
    }

    private mutating func openInput(_ path: String) {
        guard !inputOpen else { return }
        inputOpen = true
        stream.open("{")
        stream.value(.string(path), key: "path")
        if writesCanonicalPaths { stream.value(.string(CanonicalPath.of(path)), key: "canonical_path") }
        stream.open("[", key: "boots")
    }
}
