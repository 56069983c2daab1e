import Dispatch

/// Runs a writer on a thread of its own, fed the same calls in the same order, so the
/// output is the same byte for byte. The scanning thread goes on with the next boot while
/// the last one is serialized and written: on one large input, writing the JSON of its
/// boots costs about a sixth of the grouping thread's time.
public final class BackgroundWriter: ResultWriter {
    /// Calls waiting for the writer thread, at most `depth` (so memory stays bounded when
    /// the output is the slower side: a pipe read slowly, a disk).
    private final class Channel: @unchecked Sendable {
        var writer: any ResultWriter
        private var calls: [((inout any ResultWriter) -> Void)?] = []
        private var head = 0
        /// Set when the run failed: what is still queued is dropped, not written.
        private var cancelled = false
        private let lock = DispatchSemaphore(value: 1)
        private let waiting = DispatchSemaphore(value: 0)
        private let room: DispatchSemaphore
        let stopped = DispatchSemaphore(value: 0)

        init(_ writer: any ResultWriter, depth: Int) {
            self.writer = writer
            room = DispatchSemaphore(value: depth)
        }

        /// Queues a call; nil stops the thread after the calls before it.
        func send(_ call: ((inout any ResultWriter) -> Void)?) {
            room.wait()
            lock.wait()
            calls.append(call)
            lock.signal()
            waiting.signal()
        }

        func cancel() {
            lock.wait()
            cancelled = true
            lock.signal()
            send(nil)
        }

        /// The writer thread's loop.
        func run() {
            while true {
                waiting.wait()
                lock.wait()
                let call = cancelled ? nil : calls[head]
                calls[head] = nil
                head += 1
                if head == calls.count {
                    calls.removeAll(keepingCapacity: true)
                    head = 0
                }
                lock.signal()
                room.signal()
                guard let call else { break }
                call(&writer)
            }
            stopped.signal()
        }
    }

    private let channel: Channel
    private var finished = false

    public init(_ writer: any ResultWriter, depth: Int = 8) {
        channel = Channel(writer, depth: depth)
        let channel = self.channel
        DedicatedThread.start { channel.run() }
    }

    deinit {
        // Dropped without `finish` (a run that failed): what is queued is not written.
        if !finished { channel.cancel() }
    }

    public func liveFinding(_ finding: Finding, input: String, boot: Int, kernel: KernelVersion?) {
        channel.send { $0.liveFinding(finding, input: input, boot: boot, kernel: kernel) }
    }

    public func liveVerdict(_ verdict: InvariantVerdict, input: String, boot: Int, kernel: KernelVersion?) {
        channel.send { $0.liveVerdict(verdict, input: input, boot: boot, kernel: kernel) }
    }

    public func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        channel.send { $0.boot(boot, input: input, liveFindingsSent: liveFindingsSent) }
    }

    public func finishInput(_ result: InputResult) {
        channel.send { $0.finishInput(result) }
    }

    /// Writes the totals and returns once everything queued before them is written.
    public func finish(_ totals: ArchiveTotals) {
        channel.send { $0.finish(totals) }
        channel.send(nil)
        finished = true
        channel.stopped.wait()
    }
}
