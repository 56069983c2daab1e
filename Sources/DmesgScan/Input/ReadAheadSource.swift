import Dispatch
import Synchronization

/// Decodes on a second thread: a producer fills a ring of buffers from the upstream source
/// (the zlib or xz decoder) while the caller scans the previous ones. On a single large
/// compressed file this keeps the scan beside the decoder instead of after it.
public final class ReadAheadSource<Upstream: ByteSource & SendableMetatype>: ByteSource, @unchecked Sendable {
    private struct Slot {
        var buffer: UnsafeMutableRawBufferPointer
        var count = 0
        var error: InputError?
    }

    private var upstream: Upstream
    private var slots: [Slot]
    private let free = DispatchSemaphore(value: 0)
    private let filled = DispatchSemaphore(value: 0)
    private let stop = Atomic<Bool>(false)
    private let producerDone = DispatchSemaphore(value: 0)
    private var readSlot = 0
    private var readOffset = 0
    private var finished = false
    private let consumed = Atomic<Int>(0)

    public init(upstream: Upstream, buffers: Int = 4, bufferSize: Int = 1 << 20) {
        self.upstream = upstream
        slots = (0..<buffers).map { _ in Slot(buffer: .allocate(byteCount: bufferSize, alignment: 16)) }
        for _ in 0..<buffers { free.signal() }
        DedicatedThread.start { self.produce() }
    }

    deinit {
        for slot in slots { slot.buffer.deallocate() }
    }

    private func produce() {
        var index = 0
        while true {
            free.wait()
            if stop.load(ordering: .acquiring) { break }
            var n = 0
            var failure: InputError?
            do throws(InputError) { n = try upstream.read(into: slots[index].buffer) } catch { failure = error }
            slots[index].count = n
            slots[index].error = failure
            consumed.store(upstream.consumedBytes, ordering: .releasing)
            filled.signal()
            if n == 0 || failure != nil { break }
            index = (index + 1) % slots.count
        }
        producerDone.signal()
    }

    public var consumedBytes: Int { consumed.load(ordering: .acquiring) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if finished { return 0 }
        if readOffset == 0 { filled.wait() }
        let slot = slots[readSlot]
        if let error = slot.error, slot.count == 0 {
            finished = true
            throw error
        }
        if slot.count == 0 {
            finished = true
            return 0
        }
        let n = min(buffer.count, slot.count - readOffset)
        buffer.baseAddress!.copyMemory(from: slot.buffer.baseAddress! + readOffset, byteCount: n)
        readOffset += n
        if readOffset == slot.count {
            readOffset = 0
            if slot.error != nil {
                // The bytes before the damage are delivered; the error comes next.
                slots[readSlot].count = 0
                filled.signal()
                return n
            }
            readSlot = (readSlot + 1) % slots.count
            free.signal()
        }
        return n
    }

    public func close() {
        if !finished {
            stop.store(true, ordering: .releasing)
            for _ in 0..<slots.count { free.signal() }
        }
        producerDone.wait()
        upstream.close()
    }
}
