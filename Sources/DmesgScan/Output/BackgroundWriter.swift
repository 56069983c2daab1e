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
        /// Set when the run failed: what is still queued is dropped, not written.
        private var cancelled = false
        private let lock = DispatchSemaphore(value: 1)
        private let waiting = DispatchSemaphore(value: 0)
        private let room: DispatchSemaphore
        let stopped = DispatchSemaphore(value: 0)

        init(_ writer: any ResultWriter, depth: Int, wakeEvery: Int) {
            self.writer = writer
            self.wakeEvery = wakeEvery
            room = DispatchSemaphore(value: depth)
        }

        /// Calls queued since the writer thread was last woken.
        private var unannounced = 0
        private let wakeEvery: Int

        /// Queues a call; nil stops the thread after the calls before it. The writer thread
        /// is woken when `wakeEvery` calls wait (or at once for `urgent` ones and nil): on
        /// one large file, waking it for each boot was a futex call per boot on each side.
        func send(_ call: ((inout any ResultWriter) -> Void)?, urgent: Bool = false) {
            room.wait()
            lock.wait()
            calls.append(call)
            unannounced += 1
            let wake = urgent || call == nil || unannounced >= wakeEvery
            if wake { unannounced = 0 }
            lock.signal()
            if wake { waiting.signal() }
        }

        func cancel() {
            lock.wait()
            cancelled = true
            lock.signal()
            send(nil)
        }

        /// The writer thread's loop: each wake runs every call queued by then. Each call's
        /// room is given back once it is written (at most `depth` boots are held, waiting or
        /// being written), and every call's before the thread ends: libdispatch traps when a
        /// semaphore below its first value is destroyed.
        func run() {
            var taken: [((inout any ResultWriter) -> Void)?] = []
            var running = true
            while running {
                waiting.wait()
                lock.wait()
                let dropping = cancelled
                swap(&taken, &calls)
                lock.signal()
                for call in taken {
                    // nil, the last call sent, ends the thread; after `cancel`, calls are dropped.
                    if let call {
                        if !dropping { call(&writer) }
                    } else {
                        running = false
                    }
                    room.signal()
                }
                taken.removeAll(keepingCapacity: true)
            }
            stopped.signal()
        }
    }

    private let channel: Channel
    private var finished = false

    /// `wakeEvery`: how many boots may wait before the writer thread is woken for them (1 on
    /// a live stream, where each is written as soon as it ends). Live findings and verdicts,
    /// input ends and the totals wake it at once. `depth` must be at least `wakeEvery`.
    public init(_ writer: any ResultWriter, depth: Int = 8, wakeEvery: Int = 1) {
        precondition(depth >= wakeEvery)
        channel = Channel(writer, depth: depth, wakeEvery: wakeEvery)
        let channel = self.channel
        DedicatedThread.start { channel.run() }
    }

    deinit {
        // Dropped without `finish` (a run that failed): what is queued is not written.
        if !finished { channel.cancel() }
    }

    public func liveFinding(_ finding: Finding, input: String, boot: Int, kernel: KernelVersion?) {
        channel.send({ $0.liveFinding(finding, input: input, boot: boot, kernel: kernel) }, urgent: true)
    }

    public func liveVerdict(_ verdict: InvariantVerdict, input: String, boot: Int, kernel: KernelVersion?) {
        channel.send({ $0.liveVerdict(verdict, input: input, boot: boot, kernel: kernel) }, urgent: true)
    }

    public func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        channel.send { $0.boot(boot, input: input, liveFindingsSent: liveFindingsSent) }
    }

    public func finishInput(_ result: InputResult) {
        channel.send({ $0.finishInput(result) }, urgent: true)
    }

    /// Writes the totals and returns once everything queued before them is written.
    public func finish(_ totals: ArchiveTotals) {
        channel.send { $0.finish(totals) }
        channel.send(nil)
        finished = true
        channel.stopped.wait()
    }
}
