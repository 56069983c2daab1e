import Dispatch
import Synchronization

/// Lines read, decoded and matched ahead on a second thread. The reader reuses its buffer,
/// so each line's bytes (and the decoder's scratch bytes its record points to) are copied
/// into the batch's own storage, which never moves; records point there.
final class LineBatch: @unchecked Sendable {
    struct Entry {
        /// The line's record (for a blank line, only its `line` and `lineNumber`).
        var record: Record
        var firstEvent: Int32
        var eventCount: Int32
        /// Blank: not decoded ahead (the grouper decides whether it must be).
        var blank: Bool
        /// Empty lines this entry stands for, from `record.lineNumber` on (a run of them is one entry).
        var emptyRun: Int32 = 1
    }

    /// Lines up to this many bytes per batch, plus room for one more of the longest kind:
    /// the line, a message in decoder scratch as long, and a host name.
    static let capacity = 1 << 18
    private let storage: UnsafeMutableRawBufferPointer

    init(maxLineLength: Int, scratch: Int) {
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: LineBatch.capacity + maxLineLength + scratch + 4096, alignment: 16)
    }
    private var used = 0
    var entries: [Entry] = []
    var events: [Event] = []
    /// Set on the last batch of a stream.
    var summary: LineReader.Summary?
    var failures: [(rule: String, line: Int, code: Int32)] = []

    deinit { storage.deallocate() }

    /// Full by bytes, or by events: every line of some logs matches, and events (with their
    /// fields and text) weigh far more than lines.
    var isFull: Bool { used >= LineBatch.capacity || events.count >= 512 || entries.count >= 8192 }

    func reset() {
        used = 0
        entries.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
        summary = nil
        failures.removeAll()
    }

    private func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard bytes.count > 0 else { return UnsafeRawBufferPointer(start: storage.baseAddress! + used, count: 0) }
        (storage.baseAddress! + used).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        defer { used += bytes.count }
        return UnsafeRawBufferPointer(start: storage.baseAddress! + used, count: bytes.count)
    }

    func addBlank(_ line: UnsafeRawBufferPointer, number: Int) {
        var record = Record.empty
        record.line = copy(line)
        record.lineNumber = number
        entries.append(Entry(record: record, firstEvent: 0, eventCount: 0, blank: true))
    }

    func addEmptyRun(first number: Int, count: Int) {
        var record = Record.empty
        record.line = copy(UnsafeRawBufferPointer(start: nil, count: 0))
        record.lineNumber = number
        entries.append(Entry(record: record, firstEvent: 0, eventCount: 0, blank: true, emptyRun: Int32(clamping: count)))
    }

    /// Adds a decoded line; `record`'s slices point into `line` or into decoder scratch.
    func add(_ line: UnsafeRawBufferPointer, record: Record, events lineEvents: [Event]) {
        let copied = copy(line)
        var record = record
        func moved(_ slice: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            guard let start = slice.baseAddress, let lineStart = line.baseAddress else { return slice }
            if start >= lineStart && start + slice.count <= lineStart + line.count {
                return UnsafeRawBufferPointer(start: copied.baseAddress! + (start - lineStart), count: slice.count)
            }
            return copy(slice)  // decoder scratch: an unescaped message, a journal host name
        }
        record.line = copied
        record.message = moved(record.message)
        if let host = record.host { record.host = moved(host) }
        if let wallClock = record.wallClock { record.wallClock = moved(wallClock) }
        let first = events.count
        if !lineEvents.isEmpty { events += lineEvents }
        entries.append(Entry(record: record, firstEvent: Int32(first), eventCount: Int32(lineEvents.count), blank: false))
    }
}

/// Batches passed from the reading thread to the scanning one, in order, with a fixed
/// number in flight (so memory stays bounded whichever side is slower).
final class LineBatchQueue: @unchecked Sendable {
    private let free: Mutex<[LineBatch]>
    private let ready = Mutex<[LineBatch]>([])
    private let freeCount: DispatchSemaphore
    private let readyCount = DispatchSemaphore(value: 0)

    init(batches: Int, maxLineLength: Int, scratch: Int) {
        free = Mutex((0..<batches).map { _ in LineBatch(maxLineLength: maxLineLength, scratch: scratch) })
        freeCount = DispatchSemaphore(value: batches)
    }

    func takeFree() -> LineBatch {
        freeCount.wait()
        return free.withLock { $0.removeLast() }
    }

    func send(_ batch: LineBatch) {
        ready.withLock { $0.append(batch) }
        readyCount.signal()
    }

    func receive() -> LineBatch {
        readyCount.wait()
        return ready.withLock { $0.removeFirst() }
    }

    func recycle(_ batch: LineBatch) {
        batch.reset()
        free.withLock { $0.append(batch) }
        freeCount.signal()
    }
}
