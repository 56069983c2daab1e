/// Groups consecutive lines into reports, using the report roles of the rules.
///
/// A report opens at a `start` rule (taking a `cut here` line and the message lines between
/// it and the banner, as x86 prints the WARN message before the banner). It closes at an
/// `end` line, at the next `cut`/`start` once its call trace began, at the first line after
/// the call trace that is neither a frame nor a `continue` line, or at a length cap. With
/// caller ids, lines of other tasks and CPUs are left out of it.
public struct ReportGrouper {
    public var maxLines = 400
    public var maxLinesWithoutTrace = 60
    public var maxExcerptLines = 120
    /// How many lines may separate `cut here` from the banner.
    public var maxMessageLines = 8
    /// How many lines of other output (other tasks, the test harness) may sit between a
    /// trace's frames before the trace is taken to have ended at its last frame.
    public var maxStrayLines = 100

    private let rules: RuleSet
    private let frameRules: [Int]
    /// Continuation rules without captures: once a frame matched a line, they add nothing.
    private let plainContinuation: [Bool]
    /// By rule: the group numbers of a frame line's function, its other spelling and its caller.
    private let frameGroups: [(function: [Int], function2: [Int], caller: [Int])]
    // No observers on `open` and `pending`: with one, every change would copy the report
    // (its arrays and strings) on each of its lines. `feed` and `finish` set `isIdle` when
    // they return.
    private var open: Report?
    private var inTrace = false
    private var strayLines = 0
    private var limitWithoutTrace = 60
    private var bannerText = ""
    /// The open report's lines, kept only when its stack plan looks for marker lines.
    private var lines: [(line: Int, text: String)] = []
    private var keepLines = false
    private var pending: (line: Int, caller: Caller?, timestamp: Double?, lines: Excerpt, events: [Int])?

    /// No report is open or pending: a line without events cannot change anything. Stored,
    /// because it is read on every line and comparing the optional report copied it.
    public private(set) var isIdle = true

    private mutating func updateIdle() {
        var idle = true
        if case .some = open { idle = false }
        if case .some = pending { idle = false }
        isIdle = idle
    }

    public init(rules: RuleSet) {
        self.rules = rules
        self.frameRules = rules.contextualRules
        self.plainContinuation = rules.rules.indices.map { rules.rules[$0].report == .continue && !rules.hasCaptures($0) }
        self.frameGroups = rules.rules.indices.map {
            (rules.groupNumbers($0, named: "func"), rules.groupNumbers($0, named: "func2"), rules.groupNumbers($0, named: "caller"))
        }
    }

    /// Indices into the boot's events that the open or pending report holds.
    public var heldEvents: [Int] { (open?.events ?? []) + (pending?.events ?? []) }

    /// After the boot's events were compacted: `map` gives each held index its new place.
    public mutating func remapEvents(_ map: (Int) -> Int) {
        if open != nil { open!.events = open!.events.map(map) }
        if pending != nil { pending!.events = pending!.events.map(map) }
    }

    /// Feeds one record and the events the rules found on it (`events` are the boot's
    /// events; `newEvents` the indices of this record's). Closed reports go to `closed`.
    /// (The record is `inout` only so that it is read where it lies, not copied for each line
    /// fed: it is not changed.)
    public mutating func feed(
        _ record: inout Record, events: [Event], newEvents: Range<Int>, closed: (Report) -> Void
    ) {
        defer { updateIdle() }
        var isStart: Int? = nil
        var isCut = false
        var isEnd = false
        var isTrace = false
        for index in newEvents {
            switch rules.rules[events[index].rule].report {
            case .start?:
                // The most specific banner rule wins (`priority`).
                if isStart.map({ rules.rules[events[$0].rule].priority < rules.rules[events[index].rule].priority }) ?? true {
                    isStart = index
                }
            case .cut?: isCut = true
            case .end?: isEnd = true
            case .trace?: isTrace = true
            default: break
            }
        }

        // The open report is changed in place (`open!`): binding it to a local, even moved
        // out with `take()`, copied the whole report on every line of it.
        if case .some = open {
            if let caller = record.caller, let owner = open!.caller, caller != owner, isStart == nil, !isCut {
                return  // another task's or CPU's line, interleaved
            }
            // A second banner before the call trace (BUG: … then Oops: …) is the same report;
            // a panic always stands on its own.
            // A banner that says it follows from the open report (`joins_open`, e.g. the panic
            // that panic_on_warn raises) is part of it, wherever it comes.
            let absorbsStart = isStart.map { rules.rules[events[$0].rule].joinsOpen } == true
                || (isStart.map { rules.rules[events[$0].rule].boot != .panic } == true
                    && !inTrace && open!.endLine - open!.bannerLine < limitWithoutTrace)
            if (isStart != nil && !absorbsStart) || isCut {
                closeOpen(complete: false, events, closed)
            } else {
                var contextualHit = false
                for rule in frameRules where !(contextualHit && plainContinuation[rule]) {
                    rules.runContextual(rule, record, { match in
                        contextualHit = true
                        switch rules.rules[rule].report {
                        case .frame?, .rip?, .lock?:
                            // A line may name a frame and its caller (arm's "(f) from (g)"): both, in order.
                            let role = rules.rules[rule].report
                            let groups = frameGroups[rule]
                            let function = match.field(groups: groups.function) ?? match.field(groups: groups.function2)
                            let caller = match.field(groups: groups.caller)
                            guard function != nil || caller != nil else { break }
                            let text = match.text
                            if let function {
                                open!.frames.append(.init(
                                    function: rules.frames.normalize(function), line: record.lineNumber, text: text,
                                    isInstructionPointer: role == .rip, isLockSite: role == .lock))
                            }
                            if let caller {
                                open!.frames.append(.init(
                                    function: rules.frames.normalize(caller), line: record.lineNumber, text: text,
                                    isInstructionPointer: false, isLockSite: false))
                            }
                        case .continue?:
                            // Lines inside a report may name what the banner did not ("last function: f").
                            match.forEachField { key, value in if open!.fields[key] == nil { open!.fields[key] = value } }
                        default: break
                        }
                    })
                }
                if isTrace { inTrace = true }
                let belongs = isEnd || isTrace || !inTrace || contextualHit || isStart != nil
                // With caller ids, other tasks' lines were left out above: a line of the report's
                // own task that is not part of its trace ends it.
                let ownTask = open!.caller != nil && record.caller == open!.caller
                if !belongs && !ownTask && strayLines < maxStrayLines {
                    strayLines += 1  // left out of the report; its events stay findings of their own
                    return
                }
                if !belongs {
                    closeOpen(complete: false, events, closed)
                } else {
                    strayLines = 0
                    appendToOpen(&record, newEvents)
                    let tooLong = open!.endLine - open!.startLine >= maxLines
                        || (!inTrace && open!.endLine - open!.bannerLine >= limitWithoutTrace)
                    if isEnd || tooLong { closeOpen(complete: isEnd, events, closed) }
                    return
                }
            }
        }

        // No report open.
        if isCut {
            var lines = Excerpt()
            lines.append(line: record.lineNumber, bytes: record.line)
            pending = (record.lineNumber, record.caller, record.timestamp, lines, Array(newEvents))
            return
        }
        if let start = isStart {
            let banner = events[start]
            let rule = rules.rules[banner.rule]
            var report = Report(
                rule: banner.rule, title: rule.title, level: rule.level,
                startLine: record.lineNumber, endLine: record.lineNumber, bannerLine: record.lineNumber,
                timestamp: record.timestamp, wallClock: banner.wallClock, host: banner.host, caller: record.caller, fields: banner.fields,
                events: [], frames: [], guiltyFrame: nil, signature: "", lkpID: "", corrupted: false,
                excerpt: [], complete: false)
            limitWithoutTrace = rule.maxLines ?? maxLinesWithoutTrace
            bannerText = banner.text
            keepLines = rules.stackPlans[banner.rule].needsLines
            lines.removeAll(keepingCapacity: true)
            if let cut = pending, cut.caller == record.caller {
                report.startLine = cut.line
                report.timestamp = cut.timestamp ?? record.timestamp
                report.excerpt = cut.lines
                report.events = cut.events
            }
            pending = nil
            inTrace = false
            strayLines = 0
            open = report
            appendToOpen(&record, newEvents)
            return
        }
        if var cut = pending.take() {
            if let caller = record.caller, caller != cut.caller {
                pending = cut
                return
            }
            // Too far from its banner: the cut line stands alone (pending stays empty).
            if record.lineNumber - cut.line > maxMessageLines { return }
            cut.lines.append(line: record.lineNumber, bytes: record.line)
            cut.events.append(contentsOf: newEvents)
            pending = cut
        }
    }

    /// Closes a report left open at the end of a boot or input.
    public mutating func finish(events: [Event], _ closed: (Report) -> Void) {
        closeOpen(complete: false, events, closed)
        pending = nil
        updateIdle()
    }

    private mutating func appendToOpen(_ record: inout Record, _ newEvents: Range<Int>) {
        if keepLines { lines.append((record.lineNumber, String(decoding: record.message, as: UTF8.self))) }
        open!.endLine = record.lineNumber
        open!.events.append(contentsOf: newEvents)
        if open!.excerpt.count < maxExcerptLines { open!.excerpt.append(line: record.lineNumber, bytes: record.line) }
    }

    private mutating func closeOpen(complete: Bool, _ events: [Event], _ closed: (Report) -> Void) {
        if let report = open.take() { closed(finish(report, complete: complete, events)) }
        inTrace = false
    }

    private func finish(_ report: Report, complete: Bool, _ events: [Event]) -> Report {
        var report = report
        report.complete = complete
        // Captures of other lines inside the report (e.g. KASAN's "Read of size 8") fill
        // fields the banner did not have.
        for index in report.events where rules.rules[events[index].rule].report == nil {
            for (key, value) in events[index].fields where report.fields[key] == nil { report.fields[key] = value }
        }
        if let function = report.fields["func"] { report.fields["func"] = rules.frames.normalize(ReportTitle.stripOffset(function)) }
        report.guiltyFrame = GuiltyFrameFinder.find(
            frames: report.frames, bannerLine: report.bannerLine, bannerFunction: report.fields["func"], lines: lines,
            plan: rules.stackPlans[report.rule], namer: rules.frames)
        let rule = rules.rules[report.rule]
        let template = rule.titleFallback.map { ReportTitle.hasFields(rule.title, report.fields) ? rule.title : $0 } ?? rule.title
        report.corrupted = ReportTitle.usesGuilty(template) && report.guiltyFrame == nil
        report.title = rules.titles.normalize(ReportTitle.render(template, fields: report.fields, guilty: report.guiltyFrame))
        var hash = FNV1a64()
        hash.add(report.title)
        report.signature = hash.hex
        report.lkpID = rules.titles.lkpID(template: rule.lkp, fields: report.fields, banner: bannerText)
        return report
    }
}
