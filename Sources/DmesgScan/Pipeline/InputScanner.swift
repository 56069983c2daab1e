/// Runs the pipeline on one input: bytes → lines → records → boots → events → reports →
/// verdicts. Each boot is analysed as soon as it ends, so memory holds one boot's events.
public final class InputScanner {
    public let rules: RuleSet
    private let analyzer: BootAnalyzer
    private let bootStartRules: Set<Int>
    public var reader = LineReader()

    public init(rules: RuleSet) {
        self.rules = rules
        self.analyzer = BootAnalyzer(rules: rules)
        self.bootStartRules = Set(rules.rules.indices.filter { rules.rules[$0].boot == .start })
    }

    /// Scans `location`; `onBoot` sees each boot's result as soon as it is known.
    public func scan(_ location: InputLocation, onBoot: (BootResult) -> Void = { _ in }) -> InputResult {
        var result = InputResult(location: location, status: .ok, error: nil, lines: 0, bytes: 0, boots: [], ruleFailures: [], cutLines: 0)
        var source: any ByteSource
        do { source = try InputOpener.open(location) } catch {
            result.status = .error
            result.error = error
            return result
        }
        defer { source.close() }

        var boot: BootLog? = nil
        var splitter = BootSplitter()
        var grouper = ReportGrouper(rules: rules)
        var lineEvents: [Event] = []
        let decoder = RecordDecoder()
        var failures: [(rule: String, line: Int, code: Int32)] = []

        func endBoot(cutShort: Bool, followed: Bool = true) {
            guard var finished = boot else { return }
            finished.followedByAnotherBoot = followed
            grouper.finish(events: finished.events) { finished.reports.append($0) }
            finished.cutShort = cutShort
            let analysed = analyzer.analyze(finished)
            result.boots.append(analysed)
            onBoot(analysed)
            boot = nil
        }

        /// Adds a record and its events to the current boot and to report grouping.
        func ingest(_ record: Record, _ events: [Event]) {
            if boot == nil { boot = BootLog(index: result.boots.count, firstLine: record.lineNumber) }
            boot!.lastLine = record.lineNumber
            boot!.endsWithKernelRecord = record.timestamp != nil && record.isKernel
            let first = boot!.events.count
            for event in events {
                if bootStartRules.contains(event.rule), boot!.kernel == nil, let release = event.fields["release"] {
                    boot!.kernel = KernelVersion(release: release)
                    boot!.architecture = event.fields["arch"]
                }
                boot!.events.append(event)
            }
            grouper.feed(record, events: boot!.events, newEvents: first..<boot!.events.count) { boot!.reports.append($0) }
        }

        func match(_ record: Record) -> [Event] {
            lineEvents.removeAll(keepingCapacity: true)
            // Userspace journal entries, kmsg properties and separators are kept, not matched.
            guard record.isKernel, record.format != .kmsgProperty, record.format != .separator else { return lineEvents }
            rules.match(record, { lineEvents.append($0) }, failed: { rule, code in
                if failures.count < 1000 { failures.append((self.rules.rules[rule].id, record.lineNumber, code)) }
            })
            return lineEvents
        }

        // Lines held while the boot splitter decides whether time went back to zero.
        var held: [(line: Int, bytes: [UInt8])] = []
        func release(split: Bool) {
            if split {
                endBoot(cutShort: false)
            }
            for (number, bytes) in held {
                bytes.withUnsafeBytes { raw in
                    let record = decoder.decode(raw, lineNumber: number)
                    ingest(record, match(record))
                }
            }
            held.removeAll()
        }

        let summary = reader.forEachLine(of: &source) { line, number in
            let record = decoder.decode(line, lineNumber: number)
            let events = match(record)
            let isBanner = events.contains { bootStartRules.contains($0.rule) }
            switch splitter.feed(timestamp: record.timestamp, isBanner: isBanner, marker: record.bootMarker) {
            case .same:
                ingest(record, events)
            case .newBoot:
                endBoot(cutShort: false)
                ingest(record, events)
            case .hold:
                held.append((number, Array(line)))
            case .release(let split):
                release(split: split)
                ingest(record, events)
            }
        }
        if case .release(let split) = splitter.finish() { release(split: split) }
        endBoot(cutShort: summary.error != nil, followed: false)
        result.lines = summary.lines
        result.bytes = summary.bytes
        result.cutLines = summary.cutLines
        result.ruleFailures = failures
        if let error = summary.error {
            result.error = error
            result.status = summary.lines > 0 ? .partial : .error
        }
        return result
    }
}
