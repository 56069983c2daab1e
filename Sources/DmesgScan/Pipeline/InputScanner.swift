import Dispatch

/// Runs the pipeline on one input: bytes → lines → records → boots → events → reports →
/// verdicts. Each boot is analysed as soon as it ends, so memory holds one boot's events.
public final class InputScanner {
    public let rules: RuleSet
    private let analyzer: BootAnalyzer
    /// Rule roles by rule index, read per event (a `Set<Int>` hashed each rule index, a
    /// hundred instructions a lookup).
    private let bootStartRules: [Bool]
    /// Rules that name the release when the boot has no banner.
    private let releaseRules: [Bool]
    public var reader = LineReader()
    /// Decode compressed streams on a second thread (for one large input on a multi-core machine).
    public var readAhead = false
    /// Called with each finding as soon as it is complete (a report closes, a warning line
    /// arrives), before its boot ends: for live output. Arguments: input, boot index, kernel.
    public var onFinding: ((String, Int, KernelVersion?, Finding) -> Void)?
    /// On a pipe or /dev/kmsg, close a report left open after this many quiet seconds, so a
    /// live stream shows it without waiting for the next line.
    public var idleFlush: Double?
    /// Live streams: called with each invariant verdict as soon as it is decided (its event
    /// seen and placed, or the boot at userspace without it), before the boot ends; the
    /// boot's verdicts at its end include them again.
    public var onVerdict: ((String, Int, KernelVersion?, InvariantVerdict) -> Void)?
    /// Keep every boot in the `InputResult` (false: each boot lives only until `onBoot`
    /// returns, so memory stays flat however long the input is).
    public var keepBoots = true
    /// A second rule set (its own PCRE2 match data) for reading, decoding and matching on a
    /// second thread while this one groups and analyses: one large input on two cores.
    /// The output is the same line for line.
    public var aheadRules: RuleSet?
    /// Which of the two threads runs the rules on a batch (tests fix it; see `AheadMatching`).
    public var aheadMatching = AheadMatching.balanced
    /// Reports a boot keeps; past this, a report is still handed to `onFinding` but only
    /// counted by title (a kernel that warns in a loop, a `--follow` run that lasts months).
    public var maxReportsPerBoot = 2_000
    /// When a boot holds more events than this, those that no kept or open report and no
    /// invariant needs are dropped (their findings counted by title).
    public var maxEventsPerBoot = 50_000
    /// Rules whose events the analysis reads whatever the reports: boot roles, anchors,
    /// NUMA nodes, and every rule an invariant names.
    private let analysisRules: [Bool]
    /// Rules the timeline takes its lines from (kept apart from the boot's events, bounded).
    private let timelineRules: [Bool]
    /// A grouper with nothing fed, copied for each input: its per-rule tables are made once,
    /// not for each of the thousands of small files of a batch.
    private let freshGrouper: ReportGrouper
    /// Run the pipeline only up to this stage (for measuring what each stage costs).
    public var lastStage = PipelineStage.ordering

    public init(rules: RuleSet) {
        self.rules = rules
        self.analyzer = BootAnalyzer(rules: rules)
        self.freshGrouper = ReportGrouper(rules: rules)
        self.bootStartRules = rules.rules.map { $0.boot == .start }
        self.releaseRules = rules.rules.map { $0.boot == .release }
        var named = Set<String>()
        for invariant in rules.invariants {
            if let rule = invariant.event?.rule { named.insert(rule) }
            if let refusal = invariant.refusedBy { named.insert(refusal.rule) }
            named.formUnion(invariant.hazardRules)
            named.formUnion(invariant.explains?.rules ?? [])
        }
        self.timelineRules = rules.rules.map { !$0.phases.isEmpty || $0.taint || $0.lostLines }
        self.analysisRules = rules.rules.map { rule in
            rule.boot != nil || !rule.anchors.isEmpty || rule.numaNode || named.contains(rule.id)
        }
    }

    /// Scans `location` and returns one result per input: one for a file or stdin, one per
    /// member for an archive. `onBoot` sees each boot as soon as it is known.
    public func scanInputs(_ location: InputLocation, onBoot: (String, BootResult) -> Void = { _, _ in }) -> [InputResult] {
        let opened: OpenedInput
        do { opened = try InputOpener.open(location) } catch {
            return [InputResult.failed(location.displayName, error)]
        }
        switch opened {
        case .stream(var source):
            if readAhead && !(source is FileDescriptorSource) {
                var ahead = ReadAheadSource(upstream: AnyByteSource(source))
                defer { ahead.close() }
                return [scan(source: &ahead, name: location.displayName) { onBoot(location.displayName, $0) }]
            }
            defer { source.close() }
            return [scan(source: &source, name: location.displayName) { onBoot(location.displayName, $0) }]
        case .archive(let reader):
            return scanArchive(reader, name: location.displayName, onBoot: onBoot)
        }
    }

    /// Scans this machine's kernel log from /dev/kmsg (and goes on reading with `follow`).
    public func scanKernelLog(follow: Bool, onBoot: (String, BootResult) -> Void = { _, _ in }) -> InputResult {
        var source: KmsgSource
        do { source = try KmsgSource(follow: follow) } catch {
            return InputResult.failed(KmsgSource.path, error)
        }
        defer { source.close() }
        return scan(source: &source, name: KmsgSource.path) { onBoot(KmsgSource.path, $0) }
    }

    /// Scans a plain file, gzip file or stdin (for archives, use `scanInputs`).
    public func scan(_ location: InputLocation, onBoot: (BootResult) -> Void = { _ in }) -> InputResult {
        scanInputs(location) { onBoot($1) }.first ?? InputResult.failed(location.displayName, InputError(.archive, "empty archive"))
    }

    /// Every regular member of an archive is an input `archive:member`; a member that is
    /// itself compressed (a `.gz` or `.xz` in a tar) is decoded too.
    func scanArchive(_ reader: ArchiveReader, name: String, depth: Int = 1, onBoot: (String, BootResult) -> Void) -> [InputResult] {
        var results: [InputResult] = []
        guard depth <= InputOpener.maxNesting else { return [InputResult.failed(name, InputOpener.nestedTooDeep)] }
        while true {
            let member: String?
            do { member = try reader.nextMember() } catch {
                results.append(InputResult.failed(name, error))
                return results
            }
            guard let member else { return results }
            let memberName = reader.isRawStream ? name : name + ":" + member
            if reader.memberIsEncrypted {
                // Reported and skipped: libarchive goes on to the next member.
                results.append(InputResult.failed(memberName, InputError(.unsupported, "an encrypted archive member (no password is asked for)")))
                continue
            }
            var source = ReplaySource(reader.memberSource())
            var result: InputResult
            do {
                let head = try source.peek(4096)
                switch try InputOpener.open(source, head: head) {
                case .stream(var inner):
                    // Members are many and mostly small: a read-ahead thread each would cost more than it saves.
                    result = scan(source: &inner, name: memberName, readingAheadWith: nil) { onBoot(memberName, $0) }
                case .archive(let nested):
                    // A compressed single file inside an archive ("dmesg.xz" in a tar).
                    let inner = scanArchive(nested, name: memberName, depth: depth + 1, onBoot: onBoot)
                    results += inner
                    if inner.contains(where: { $0.status != .ok }) { return results }
                    continue
                }
            } catch {
                result = InputResult.failed(memberName, error)
            }
            results.append(result)
            // After damage the archive cannot be read on.
            if result.status != .ok { return results }
        }
    }

    /// Userspace journal entries, kmsg properties and separators are kept, not matched.
    @inline(__always) static func isMatched(_ record: Record) -> Bool {
        record.isKernel && record.format != .kmsgProperty && record.format != .separator
    }

    @inline(__always) static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        for byte in line where !(byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0) { return false }
        return true
    }

    /// Runs the pipeline on one byte stream.
    public func scan(source: inout some ByteSource, name: String, onBoot: (BootResult) -> Void = { _ in }) -> InputResult {
        scan(source: &source, name: name, readingAheadWith: aheadRules, onBoot: onBoot)
    }

    private func scan(
        source: inout some ByteSource, name: String, readingAheadWith frontRules: RuleSet?, onBoot: (BootResult) -> Void
    ) -> InputResult {
        var result = InputResult(path: name, status: .ok, error: nil, lines: 0, bytes: 0, boots: [], ruleFailures: [], cutLines: 0)

        // The current boot, kept in plain locals: the per-line path touches only these.
        var bootOpen = false
        var kernelRecords = 0
        var kernelRecordsBeforeBoot = 0
        var bootFirstLine = 0
        var bootLastLine = 0
        var bootEndsWithKernelRecord = false
        // The boot's first wall-clock time, and its last one kept raw (decoded at the boot's end).
        var bootWallClockStart: String?
        var bootWallClockStartTried = false
        var bootWallClockLastMicros: Int?
        var bootWallClockLastText: [UInt8] = []
        var bootKernel: KernelVersion?
        var bootArchitecture: String?
        var bootEvents: [Event] = []
        var bootReports: [Report] = []
        var timeline = BootTimelineEvents()
        var splitter = BootSplitter()
        var grouper = freshGrouper
        var lineEvents: [Event] = []
        let decoder = RecordDecoder()
        var failures: [(rule: String, line: Int, code: Int32)] = []

        // Over a boot's limits (see maxReportsPerBoot): findings counted, not kept.
        var dropped: [String: DroppedFindings] = [:]
        var eventsOfDroppedReports = Set<Int>()
        var compactAt = maxEventsPerBoot

        /// The current boot as the analysis takes it.
        func currentBoot(cutShort: Bool, followed: Bool) -> BootLog {
            var boot = BootLog(index: result.bootCount, firstLine: bootFirstLine)
            boot.lastLine = bootLastLine
            boot.kernel = bootKernel
            boot.architecture = bootArchitecture
            boot.events = bootEvents
            boot.reports = bootReports
            boot.droppedFindings = dropped.values.sorted { $0.title < $1.title }
            boot.timeline = timeline
            boot.cutShort = cutShort
            boot.followedByAnotherBoot = followed
            boot.endsWithKernelRecord = bootEndsWithKernelRecord
            boot.wallClockStart = bootWallClockStart
            if let micros = bootWallClockLastMicros {
                boot.wallClockEnd = WallClock.iso8601(unixMicros: micros)
            } else if !bootWallClockLastText.isEmpty {
                boot.wallClockEnd = WallClock.iso8601(text: String(decoding: bootWallClockLastText, as: UTF8.self))
            }
            return boot
        }

        func count(_ finding: Finding) {
            dropped[finding.title, default: DroppedFindings(title: finding.title, rule: finding.rule, level: finding.level, count: 0)].count += 1
        }

        /// Verdicts already sent live for the current boot, by invariant id.
        var verdictsSent = Set<String>()

        /// Evaluates the boot so far and sends each verdict that more lines cannot change:
        /// one that rests on the event itself (its placement or refusal), or any verdict once
        /// the boot reached userspace (the frees it checks come before).
        func decideVerdicts() {
            // Once every verdict of the boot is out, nothing is left to decide before its end.
            guard let onVerdict, bootOpen, verdictsSent.count < rules.invariants.count else { return }
            let analysed = analyzer.analyze(currentBoot(cutShort: false, followed: false))
            let atUserspace = analysed.reached == .userspace
            for verdict in analysed.invariants where !verdictsSent.contains(verdict.id) {
                let restsOnEvent = (verdict.outcome == .pass || verdict.outcome == .fail)
                    && verdict.evidence.contains { $0.role == "event" || $0.role == "refusal" }
                guard restsOnEvent || (atUserspace && verdict.outcome != .unknown) else { continue }
                verdictsSent.insert(verdict.id)
                onVerdict(name, result.bootCount, bootKernel, verdict)
            }
        }

        func closedReport(_ report: Report) {
            let keep = bootReports.count < maxReportsPerBoot
            let finding = onFinding != nil || !keep ? FindingBuilder.finding(report, rules: rules) : nil
            if keep {
                bootReports.append(report)
            } else {
                count(finding!)
                eventsOfDroppedReports.formUnion(report.events)
            }
            if let onFinding, let finding { onFinding(name, result.bootCount, bootKernel, finding) }
            // A WARN from the freeing code can decide a verdict (a refused free).
            if onVerdict != nil { decideVerdicts() }
        }

        // Made once: a closure literal at each call captured closedReport's variables anew,
        // a retain and release of each of them per line fed to the grouper.
        let reportClosed: (Report) -> Void = { closedReport($0) }

        func endBoot(cutShort: Bool, followed: Bool = true) {
            guard bootOpen else { return }
            grouper.finish(events: bootEvents, reportClosed)
            // Not one kernel record (a README in a directory of logs) makes no boot. The input
            // still counts its lines, and the CLI says it does not look like a kernel log.
            let isBoot = kernelRecords > kernelRecordsBeforeBoot
            let finished = currentBoot(cutShort: cutShort, followed: followed)
            if isBoot { result.bootCount += 1 }
            bootOpen = false
            verdictsSent = []
            bootKernel = nil
            bootArchitecture = nil
            bootWallClockStart = nil
            bootWallClockStartTried = false
            bootWallClockLastMicros = nil
            bootWallClockLastText.removeAll(keepingCapacity: true)
            bootEvents = []
            bootReports = []
            timeline = BootTimelineEvents()
            dropped = [:]
            eventsOfDroppedReports = []
            compactAt = maxEventsPerBoot
            guard isBoot, lastStage == .ordering else { return }
            let analysed = analyzer.analyze(finished)
            if keepBoots { result.boots.append(analysed) }
            onBoot(analysed)
        }

        /// Drops the events that neither a kept or open report nor the analysis needs, and
        /// renumbers the rest in the reports that point to them.
        func compactEvents() {
            var needed = Set(grouper.heldEvents)
            for report in bootReports { needed.formUnion(report.events) }
            var newIndex = [Int](repeating: -1, count: bootEvents.count)
            var kept: [Event] = []
            for (index, event) in bootEvents.enumerated() {
                if needed.contains(index) || analysisRules[event.rule] {
                    newIndex[index] = kept.count
                    kept.append(event)
                } else if !eventsOfDroppedReports.contains(index), let finding = FindingBuilder.finding(event, rules: rules) {
                    count(finding)
                }
            }
            bootEvents = kept
            for index in bootReports.indices { bootReports[index].events = bootReports[index].events.map { newIndex[$0] } }
            grouper.remapEvents { newIndex[$0] }
            eventsOfDroppedReports = []
            // What must stay may itself be many: compact again only once it has doubled.
            compactAt = max(maxEventsPerBoot, 2 * bootEvents.count)
        }

        /// Adds a record and its events to the current boot and to report grouping.
        /// (Records are passed `inout` here and in `match` only so that the 160-byte record is
        /// not copied on every line; neither changes it.)
        func ingest(_ record: inout Record, _ events: ArraySlice<Event>) {
            if record.format != .bare || !events.isEmpty { kernelRecords += 1 }
            if !bootOpen {
                bootOpen = true
                bootFirstLine = record.lineNumber
                kernelRecordsBeforeBoot = kernelRecords - (record.format != .bare || !events.isEmpty ? 1 : 0)
            }
            bootLastLine = record.lineNumber
            bootEndsWithKernelRecord = record.timestamp != nil && record.isKernel
            if let micros = record.wallClockMicros {
                if !bootWallClockStartTried { bootWallClockStart = WallClock.iso8601(unixMicros: micros) }
                bootWallClockStartTried = true
                bootWallClockLastMicros = micros
            } else if let text = record.wallClock {
                if !bootWallClockStartTried { bootWallClockStart = WallClock.iso8601(text: String(decoding: text, as: UTF8.self)) }
                bootWallClockStartTried = true
                bootWallClockLastText.removeAll(keepingCapacity: true)
                bootWallClockLastText.append(contentsOf: text)
            }
            if events.isEmpty && grouper.isIdle { return }
            let first = bootEvents.count
            for event in events {
                if bootStartRules[event.rule], bootKernel == nil, let release = event.fields["release"] {
                    bootKernel = KernelVersion(release: release)
                    bootArchitecture = event.fields["arch"]
                } else if releaseRules[event.rule], bootKernel == nil, let release = event.fields["release"] {
                    bootKernel = KernelVersion(release: release)
                }
                if timelineRules[event.rule] {
                    // Read in place: a copy of the rule would retain each of its strings.
                    timeline.add(event, phase: !rules.rules[event.rule].phases.isEmpty, taint: rules.rules[event.rule].taint,
                                 lost: rules.rules[event.rule].lostLines)
                }
                bootEvents.append(event)
            }
            grouper.feed(&record, events: bootEvents, newEvents: first..<bootEvents.count, closed: reportClosed)
            if let onFinding, grouper.isIdle {
                // A warning line outside any report is a finding now.
                for event in bootEvents[first...] {
                    if let finding = FindingBuilder.finding(event, rules: rules) { onFinding(name, result.bootCount, bootKernel, finding) }
                }
            }
            if bootEvents.count > compactAt { compactEvents() }
            if onVerdict != nil, events.contains(where: { analysisRules[$0.rule] }) { decideVerdicts() }
        }

        func match(_ record: inout Record) -> [Event] {
            if !lineEvents.isEmpty { lineEvents.removeAll(keepingCapacity: true) }
            guard InputScanner.isMatched(record) else { return lineEvents }
            let lineNumber = record.lineNumber  // the closure captures this, not a copy of the record
            rules.match(record, { lineEvents.append($0) }, failed: { rule, code in
                if failures.count < 1000 { failures.append((self.rules.rules[rule].id, lineNumber, code)) }
            })
            return lineEvents
        }

        // Lines held while the boot splitter decides whether time went back to zero.
        var held: [(line: Int, bytes: [UInt8])] = []
        // Held lines are decoded while the record that released them waits to be ingested: with
        // `decoder` they would overwrite its message when that is in scratch (a kmsg escape).
        let heldDecoder = RecordDecoder()
        func release(split: Bool) {
            if split {
                endBoot(cutShort: false)
            }
            for (number, bytes) in held {
                bytes.withUnsafeBytes { raw in
                    var record = heldDecoder.decode(raw, lineNumber: number)
                    let events = match(&record)
                    ingest(&record, events[...])
                }
            }
            held.removeAll()
        }

        if let idleFlush {
            source.setIdleHandler(after: idleFlush) {
                guard !grouper.isIdle else { return }
                grouper.finish(events: bootEvents, reportClosed)
            }
        }

        /// A decoded line, from here on: boot splitting, then the boot and its reports.
        func consume(_ line: UnsafeRawBufferPointer, _ number: Int, _ record: inout Record, _ events: ArraySlice<Event>) {
            let isBanner = events.contains { bootStartRules[$0.rule] }
            switch splitter.feed(timestamp: record.timestamp, isBanner: isBanner, marker: record.bootMarker) {
            case .same:
                ingest(&record, events)
            case .newBoot:
                endBoot(cutShort: false)
                ingest(&record, events)
            case .hold:
                held.append((number, Array(line)))
            case .release(let split):
                release(split: split)
                ingest(&record, events)
            }
        }

        var record = Record.empty

        /// A quiet run of a batch from entry `index` on (see `LineBatch.QuietSpan`), after the
        /// splitter took it: what `ingest` does for each of its lines while nothing is open.
        /// (`entries` are the batch's, already open for the loop that reads them.)
        func takeQuietRun(_ batch: LineBatch, _ entries: UnsafeMutableBufferPointer<LineBatch.Entry>, from index: Int) {
            let span = batch.quiet[index]
            let run = batch.quietRuns[Int(span.run)]
            kernelRecords += Int(span.kernelRecords)
            bootLastLine = run.lastLine
            bootEndsWithKernelRecord = run.endsWithKernelRecord
            guard span.firstWallClock >= 0 else { return }
            // Quiet lines keep no record: the few whose wall clock is wanted are decoded again.
            func wallClock(of entry: Int) -> (micros: Int?, text: UnsafeRawBufferPointer?) {
                decoder.decode(entries[entry].line, lineNumber: entries[entry].lineNumber, into: &record)
                return (record.wallClockMicros, record.wallClock)
            }
            if !bootWallClockStartTried {
                let first = wallClock(of: Int(span.firstWallClock))
                if let micros = first.micros {
                    bootWallClockStart = WallClock.iso8601(unixMicros: micros)
                } else if let text = first.text {
                    bootWallClockStart = WallClock.iso8601(text: String(decoding: text, as: UTF8.self))
                }
            }
            bootWallClockStartTried = true
            // The last of each kind, as line by line (µs and printed times are kept apart).
            if run.lastWallClockMicros >= index {
                bootWallClockLastMicros = wallClock(of: Int(run.lastWallClockMicros)).micros
            }
            if run.lastWallClockText >= index, let text = wallClock(of: Int(run.lastWallClockText)).text {
                bootWallClockLastText.removeAll(keepingCapacity: true)
                bootWallClockLastText.append(contentsOf: text)
            }
        }

        let summary: LineReader.Summary
        if let frontRules {
            // Reading, decoding and matching run on a second thread, a batch of lines ahead.
            summary = readAhead(&source, rules: frontRules) { batch in
                // Records are used in place in the batch, not copied out of it.
                batch.entries.withUnsafeMutableBufferPointer { entries in
                    batch.records.withUnsafeMutableBufferPointer { records in
                        var index = 0
                        while index < entries.count {
                            defer { index += 1 }
                            let quiet = batch.quiet[index]
                            if quiet.end > index, bootOpen, grouper.isIdle,
                               splitter.feedQuiet(count: batch.quietRuns[Int(quiet.run)].lastLine - entries[index].lineNumber + 1,
                                                  maxTimestamp: quiet.maxTimestamp) {
                                takeQuietRun(batch, entries, from: index)
                                index = Int(quiet.end) - 1
                                continue
                            }
                            let number = entries[index].lineNumber
                            let line = entries[index].line
                            if entries[index].blank {
                                let run = Int(entries[index].emptyRun)
                                if grouper.isIdle && splitter.feedBlank(count: run) {
                                    bootLastLine = number + run - 1
                                    bootEndsWithKernelRecord = false
                                    continue
                                }
                                for number in number..<number + run {
                                    if grouper.isIdle && splitter.feedBlank() {
                                        bootLastLine = number
                                        bootEndsWithKernelRecord = false
                                        continue
                                    }
                                    decoder.decode(line, lineNumber: number, into: &record)
                                    let events = match(&record)
                                    consume(line, number, &record, events[...])
                                }
                            } else if entries[index].stored >= 0 {
                                let first = Int(entries[index].firstEvent)
                                consume(line, number, &records[Int(entries[index].stored)],
                                        batch.events[first..<first + Int(entries[index].eventCount)])
                            } else {
                                // A quiet line taken alone: decoded again (it has no event).
                                decoder.decode(line, lineNumber: number, into: &record)
                                consume(line, number, &record, batch.events[0..<0])
                            }
                        }
                    }
                }
                failures += batch.failures.prefix(1000 - failures.count)
            }
        } else {
            summary = reader.forEachLine(of: &source, emptyRun: { first, count in
                guard self.lastStage != .lines, grouper.isIdle, splitter.feedBlank(count: count) else { return false }
                bootLastLine = first + count - 1
                bootEndsWithKernelRecord = false
                return true
            }) { line, number in
                // Blank lines (serial consoles and padded files have runs of millions) cost a
                // byte check when nothing is open: no parse, no rules.
                if line.count == 0 || line[0] <= 0x20, grouper.isIdle, InputScanner.isBlank(line), splitter.feedBlank() {
                    bootLastLine = number
                    bootEndsWithKernelRecord = false
                    return
                }
                if lastStage == .lines { return }
                decoder.decode(line, lineNumber: number, into: &record)
                if lastStage == .records { return }
                let events = match(&record)
                if lastStage == .rules { return }
                consume(line, number, &record, events[...])
            }
        }
        if case .release(let split) = splitter.finish() { release(split: split) }
        endBoot(cutShort: summary.error != nil, followed: false)
        result.lines = summary.lines
        result.kernelRecords = kernelRecords
        result.bytes = summary.bytes
        result.cutLines = summary.cutLines
        // Failures found ahead and those found here (on blank or held lines), in line order.
        result.ruleFailures = failures.sorted { $0.line < $1.line }
        if let error = summary.error {
            result.error = error
            result.status = summary.lines > 0 ? .partial : .error
        }
        return result
    }

    /// Reads `source` on a second thread into batches of decoded, matched lines and hands
    /// each to `consume` on this thread, in order; returns the reader's summary.
    private func readAhead(
        _ source: inout some ByteSource, rules frontRules: RuleSet, consume: (LineBatch) -> Void
    ) -> LineReader.Summary {
        let frontDecoder = RecordDecoder()
        let scanDecoder = RecordDecoder()
        let queue = LineBatchQueue(batches: 8, maxLineLength: reader.maxLineLength)
        let done = DispatchSemaphore(value: 0)
        let reader = self.reader
        let matching = aheadMatching
        /// Whether the reading thread runs the rules now (the scanning thread is behind).
        func readerMatches() -> Bool {
            switch matching {
            case .balanced: return queue.backlog > 0
            case .reader: return true
            case .scanner: return false
            }
        }
        return withUnsafeMutablePointer(to: &source) { pointer in
            // All the reading thread uses, in one closure that it alone runs.
            let readLines: () -> Void = {
                // Retained once per batch, used unretained per line: a retain and release per
                // line (two atomic operations) cost more than decoding the line's timestamp.
                var batch = Unmanaged.passRetained(queue.takeFree())
                // The rules run on whichever thread is free, decided line by line: here while
                // the scanning thread is behind, there (with its own rule set) while it waits.
                func send() {
                    let full = batch.takeRetainedValue()
                    if readerMatches() {
                        full.decodeAndMatch(frontRules, decoder: frontDecoder)
                        full.seal()
                    }
                    queue.send(full)
                }
                // The partial line a read ended in, kept here while the batch it was read into is sent.
                let carried = UnsafeMutableRawBufferPointer.allocate(byteCount: reader.maxLineLength, alignment: 16)
                defer { carried.deallocate() }
                var readSize = LineBatch.firstReadSize
                /// Each read goes into a batch's own storage, where its lines stay: the batch
                /// the last read filled is sent first (one with no line yet is read on into).
                func nextRegion(_ carry: UnsafeRawBufferPointer) -> UnsafeMutableRawBufferPointer {
                    let (lines, events) = batch._withUnsafeGuaranteedRef { ($0.entries.count, $0.events.count) }
                    if lines > 0 {
                        if carry.count > 0 { carried.baseAddress!.copyMemory(from: carry.baseAddress!, byteCount: carry.count) }
                        readSize = LineBatch.readSize(after: readSize, lines: lines, events: events)
                        send()
                        batch = Unmanaged.passRetained(queue.takeFree())
                        return batch._withUnsafeGuaranteedRef {
                            $0.readRegion(carry: UnsafeRawBufferPointer(rebasing: carried[0..<carry.count]), readSize: readSize)
                        }
                    }
                    return batch._withUnsafeGuaranteedRef { $0.readRegion(carry: carry, readSize: readSize) }
                }
                let summary = reader.forEachLine(of: &pointer.pointee, regions: nextRegion, emptyRun: { first, count in
                    batch._withUnsafeGuaranteedRef { $0.addEmptyRun(first: first, count: count) }
                    return true
                }) { line, number in
                    if line.count == 0 || line[0] <= 0x20, InputScanner.isBlank(line) {
                        batch._withUnsafeGuaranteedRef { $0.addBlank(line, number: number) }
                        return
                    }
                    batch._withUnsafeGuaranteedRef {
                        $0.addLine(line, number: number)
                        if $0.unmatchedEntries >= 64 && readerMatches() { $0.decodeAndMatch(frontRules, decoder: frontDecoder) }
                    }
                }
                batch._withUnsafeGuaranteedRef { $0.summary = summary }
                send()
                done.signal()
            }
            let work = UnsafeSendable(readLines)
            DedicatedThread.start { work.value() }
            var summary = LineReader.Summary()
            while true {
                let batch = queue.receive()
                if !batch.matched {
                    batch.decodeAndMatch(rules, decoder: scanDecoder)
                    batch.seal()
                }
                consume(batch)
                let last = batch.summary
                queue.recycle(batch)
                if let last {
                    summary = last
                    break
                }
            }
            done.wait()
            return summary
        }
    }
}

/// With a second thread reading ahead, which one runs the rules on each batch. The output is
/// the same whichever does.
public enum AheadMatching: Sendable {
    /// The reading thread while the scanning thread is behind, the scanning thread while it
    /// waits for batches: a compressed input (inflating is slow) moves matching to the
    /// scanning thread, a plain one keeps it ahead.
    case balanced
    /// Always the reading thread, or always the scanning thread.
    case reader, scanner
}

/// A value handed to exactly one other thread, which alone uses it until it is done.
struct UnsafeSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
