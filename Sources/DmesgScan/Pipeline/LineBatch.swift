import Dispatch
import Synchronization

/// Lines read and decoded ahead on a second thread, and matched there or on the scanning
/// thread (see `AheadMatching`). The reader reads straight into the batch's own storage
/// (`readRegion`), which never moves, so records point at their lines where they were read;
/// what decoding makes in the decoder's scratch bytes (an unescaped message) is copied into
/// the second half of that storage.
final class LineBatch: @unchecked Sendable {
    /// A line as the scanning thread needs it, in 64 bytes. A quiet line (see `QuietSpan`)
    /// keeps only what its run needs, not its 160-byte record: records written here and read
    /// back on the other thread are memory traffic on every line (a record 128 bytes larger
    /// took 14% more CPU time on a 411 MB log), while the scanning thread decodes again only
    /// the quiet lines it takes one by one, inside a report (6% of that log's lines).
    struct Entry {
        var line: UnsafeRawBufferPointer
        var lineNumber: Int
        /// The printk time, for the largest of a quiet run.
        var timestamp: Double? = nil
        var firstEvent: Int32 = 0
        var eventCount: Int32 = 0
        /// Empty lines this entry stands for, from `lineNumber` on (a run of them is one entry).
        var emptyRun: Int32 = 1
        /// The line's record in `records`, or -1: a quiet line's is not kept.
        var stored: Int32 = -1
        /// Blank: not decoded ahead (the grouper decides whether it must be).
        var blank: Bool
        /// Decoded with no event, no boot marker and no time of zero.
        var quiet = false
        /// Any prefix: the line counts as a kernel record.
        var prefixed = false
        /// A kernel record with a printk time (a boot that ends here ends with a kernel record).
        var timedKernelRecord = false
        /// The line carries a wall-clock time, in µs or as printed.
        var hasWallClockMicros = false
        var hasWallClockText = false
    }

    /// From a quiet entry to the end of its run of quiet entries: lines with no event, no
    /// boot marker and no time of zero, and blank lines. While no report is open and the boot
    /// splitter is not holding, such a run changes only counters, so the scanning thread
    /// takes it whole from whichever entry it reaches it at.
    struct QuietSpan {
        /// One past the run's last entry; 0 for an entry that is not quiet.
        var end: Int32 = 0
        /// Records from this entry to the run's end that count as kernel records (any prefix).
        var kernelRecords: Int32 = 0
        /// The largest printk time from here to the run's end, if any line has one.
        var maxTimestamp: Double?
        /// The first entry from here on with a wall-clock time, or -1.
        var firstWallClock: Int32 = -1
        /// The run's index in `quietRuns`.
        var run: Int32 = 0
    }

    /// What a whole run ends with (the same from whichever of its entries it is taken).
    struct QuietRunEnd {
        var lastLine: Int
        var endsWithKernelRecord: Bool
        /// The run's last entries with a wall-clock time in µs and as printed, or -1.
        var lastWallClockMicros: Int32
        var lastWallClockText: Int32
    }

    /// Bytes read into a batch at most (plus the partial line carried over from the last).
    /// The storage has room for twice that: what decoding copies out of decoder scratch (a
    /// message, a host name) is no longer in all than its line, as unescaping only shortens.
    /// Pages never written to (most logs copy nothing) are never resident.
    static let capacity = 1 << 18
    private let storage: UnsafeMutableRawBufferPointer
    /// Where the copies out of decoder scratch go: past the read region.
    private let scratchStart: Int

    init(maxLineLength: Int) {
        scratchStart = LineBatch.capacity + maxLineLength
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * scratchStart + 4096, alignment: 16)
    }
    /// Bytes of the scratch half used.
    private var used = 0
    var entries: [Entry] = []
    /// The records of the entries that are not quiet, in order.
    var records: [Record] = []
    var events: [Event] = []
    /// One per entry (see `QuietSpan`), filled by `seal`.
    private(set) var quiet: [QuietSpan] = []
    /// Each quiet run's end, by `QuietSpan.run`.
    private(set) var quietRuns: [QuietRunEnd] = []
    /// Set on the last batch of a stream.
    var summary: LineReader.Summary?
    var failures: [(rule: String, line: Int, code: Int32)] = []

    deinit { storage.deallocate() }

    /// Bytes read into the first batch; the next are sized by what the last one held.
    static let firstReadSize = capacity / 4

    /// The size of the next read after one of `readSize` bytes gave `lines` entries and
    /// `events` events. Dense logs (short lines, or a rule hit on most) get smaller batches:
    /// events weigh far more than lines, and memory stays bounded whatever the log.
    static func readSize(after readSize: Int, lines: Int, events: Int) -> Int {
        if lines > 8192 || events > 512 {
            return max(4096, min(readSize * 512 / max(events, 1), readSize * 8192 / max(lines, 1)))
        }
        if lines < 4096 && events < 256 { return min(capacity, readSize * 2) }
        return readSize
    }

    /// The region the next read goes to: `carry` (the partial line the last read ended in,
    /// held elsewhere meanwhile) at its start, then room for `readSize` bytes.
    func readRegion(carry: UnsafeRawBufferPointer, readSize: Int) -> UnsafeMutableRawBufferPointer {
        precondition(entries.isEmpty && carry.count + readSize <= scratchStart)
        if carry.count > 0 { storage.baseAddress!.copyMemory(from: carry.baseAddress!, byteCount: carry.count) }
        return UnsafeMutableRawBufferPointer(rebasing: storage[0..<(carry.count + readSize)])
    }

    func reset() {
        used = 0
        entries.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        quiet.removeAll(keepingCapacity: true)
        quietRuns.removeAll(keepingCapacity: true)
        matched = false
        matchedEntries = 0
        summary = nil
        failures.removeAll()
    }

    /// Copies decoder scratch into the batch's scratch half.
    private func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let start = storage.baseAddress! + scratchStart + used
        guard bytes.count > 0 else { return UnsafeRawBufferPointer(start: start, count: 0) }
        start.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        used += bytes.count
        return UnsafeRawBufferPointer(start: start, count: bytes.count)
    }

    /// Adds a line of the read region (`readRegion`): blank lines are not decoded ahead.
    func addBlank(_ line: UnsafeRawBufferPointer, number: Int) {
        entries.append(Entry(line: line, lineNumber: number, blank: true))
    }

    func addEmptyRun(first number: Int, count: Int) {
        let line = UnsafeRawBufferPointer(start: storage.baseAddress!, count: 0)
        entries.append(Entry(line: line, lineNumber: number, emptyRun: Int32(clamping: count), blank: true))
    }

    /// Adds a line of the read region; it is decoded later, with the rules, by whichever
    /// thread runs them (`decodeAndMatch`): decoding is the reading thread's largest share
    /// after reading, and when reading is slow (inflating a `.gz`) the scanning thread takes it.
    func addLine(_ line: UnsafeRawBufferPointer, number: Int) {
        entries.append(Entry(line: line, lineNumber: number, blank: false))
    }

    /// Keeps a decoded record. Its slices point into the stored line or into decoder
    /// scratch, which is reused: those are copied into the batch.
    private func store(_ record: Record) {
        let line = record.line
        func moved(_ slice: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            guard let start = slice.baseAddress, let lineStart = line.baseAddress else { return slice }
            if start >= lineStart && start + slice.count <= lineStart + line.count { return slice }
            return copy(slice)  // decoder scratch: an unescaped message, a journal host name
        }
        records.append(record)
        let last = records.count - 1
        records[last].message = moved(record.message)
        if let host = record.host { records[last].host = moved(host) }
        if let wallClock = record.wallClock { records[last].wallClock = moved(wallClock) }
    }

    /// Whether `rules` have run on the whole batch and its quiet runs are marked (by the
    /// reading thread, or by the scanning one when the reading thread is the slower).
    private(set) var matched = false
    /// Entries the rules have run on, from the first.
    private var matchedEntries = 0
    /// Entries added and not yet matched.
    var unmatchedEntries: Int { entries.count - matchedEntries }

    /// Decodes the lines not yet decoded and runs the rules on their kernel records, in
    /// order. The reading thread calls it every few lines while the scanning thread is
    /// behind (so a batch of many events is full early); the scanning thread does whatever
    /// is left, with its own decoder and rules.
    func decodeAndMatch(_ rules: RuleSet, decoder: RecordDecoder) {
        var record = Record.empty
        entries.withUnsafeMutableBufferPointer { entries in
            for index in matchedEntries..<entries.count where !entries[index].blank {
                let number = entries[index].lineNumber
                decoder.decode(entries[index].line, lineNumber: number, into: &record)
                let first = events.count
                if InputScanner.isMatched(record) {
                    // The record where it lies, not a copy of it (see `RuleSet.match(at:)`).
                    withUnsafePointer(to: &record) { record in
                        rules.match(at: record, { events.append($0) }, failed: { rule, code in
                            // The scanning thread keeps the first 1,000 of the input, in line order.
                            if failures.count < 1000 { failures.append((rules.rules[rule].id, number, code)) }
                        })
                    }
                }
                let entry = entries.baseAddress! + index
                entry.pointee.firstEvent = Int32(first)
                entry.pointee.eventCount = Int32(events.count - first)
                entry.pointee.timestamp = record.timestamp
                entry.pointee.prefixed = record.format != .bare
                entry.pointee.timedKernelRecord = record.timestamp != nil && record.isKernel
                entry.pointee.hasWallClockMicros = record.wallClockMicros != nil
                entry.pointee.hasWallClockText = record.wallClock != nil
                entry.pointee.quiet = events.count == first && record.bootMarker == nil && record.timestamp != 0
                if !entry.pointee.quiet {
                    entry.pointee.stored = Int32(records.count)
                    store(record)
                }
            }
        }
        matchedEntries = entries.count
    }

    /// Once every entry is matched: marks the quiet runs; the batch is ready to scan.
    func seal() {
        markQuietRuns()
        matched = true
    }

    /// Fills `quiet` and `quietRuns` in one pass from the last entry back to the first.
    private func markQuietRuns() {
        quiet = Array(repeating: QuietSpan(), count: entries.count)
        var runEnds: [QuietRunEnd] = []
        entries.withUnsafeBufferPointer { entries in
            quiet.withUnsafeMutableBufferPointer { quiet in
                var span = QuietSpan()
                var inRun = false
                var runEnd = QuietRunEnd(lastLine: 0, endsWithKernelRecord: false, lastWallClockMicros: -1, lastWallClockText: -1)
                func closeRun() {
                    if inRun { runEnds.append(runEnd) }
                    inRun = false
                }
                for index in entries.indices.reversed() {
                    let entry = UnsafePointer(entries.baseAddress! + index)
                    let isQuiet = entry.pointee.blank || entry.pointee.quiet
                    guard isQuiet else {
                        closeRun()
                        continue
                    }
                    if !inRun {
                        // The run's last entry (runs are numbered from the batch's end).
                        inRun = true
                        span = QuietSpan(end: Int32(index + 1), run: Int32(runEnds.count))
                        runEnd = QuietRunEnd(
                            lastLine: entry.pointee.lineNumber + Int(entry.pointee.emptyRun) - 1,
                            endsWithKernelRecord: !entry.pointee.blank && entry.pointee.timedKernelRecord,
                            lastWallClockMicros: -1, lastWallClockText: -1)
                    }
                    if !entry.pointee.blank {
                        // Read in place, not copied out.
                        if entry.pointee.prefixed { span.kernelRecords += 1 }
                        if let time = entry.pointee.timestamp { span.maxTimestamp = max(span.maxTimestamp ?? time, time) }
                        if entry.pointee.hasWallClockMicros {
                            span.firstWallClock = Int32(index)
                            if runEnd.lastWallClockMicros < 0 { runEnd.lastWallClockMicros = Int32(index) }
                        } else if entry.pointee.hasWallClockText {
                            span.firstWallClock = Int32(index)
                            if runEnd.lastWallClockText < 0 { runEnd.lastWallClockText = Int32(index) }
                        }
                    }
                    quiet[index] = span
                }
                closeRun()
            }
        }
        quietRuns = runEnds
    }
}

/// Batches passed from the reading thread to the scanning one, in order, with a fixed
/// number in flight (so memory stays bounded whichever side is slower).
final class LineBatchQueue: @unchecked Sendable {
    private let free: Mutex<[LineBatch]>
    private let ready = Mutex<[LineBatch]>([])
    private let freeCount: DispatchSemaphore
    private let readyCount = DispatchSemaphore(value: 0)

    init(batches: Int, maxLineLength: Int) {
        free = Mutex((0..<batches).map { _ in LineBatch(maxLineLength: maxLineLength) })
        freeCount = DispatchSemaphore(value: batches)
    }

    func takeFree() -> LineBatch {
        freeCount.wait()
        return free.withLock { $0.removeLast() }
    }

    private let sentNotReceived = Atomic<Int>(0)
    /// Batches sent and not yet received: the scanning thread is behind when this is not 0.
    /// An atomic load, cheap enough to read on every line.
    var backlog: Int { sentNotReceived.load(ordering: .relaxed) }

    func send(_ batch: LineBatch) {
        sentNotReceived.add(1, ordering: .relaxed)
        ready.withLock { $0.append(batch) }
        readyCount.signal()
    }

    func receive() -> LineBatch {
        readyCount.wait()
        sentNotReceived.subtract(1, ordering: .relaxed)
        return ready.withLock { $0.removeFirst() }
    }

    func recycle(_ batch: LineBatch) {
        batch.reset()
        free.withLock { $0.append(batch) }
        freeCount.signal()
    }
}
