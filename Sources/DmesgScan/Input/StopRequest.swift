import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A graceful stop of a live stream on SIGINT, SIGTERM or SIGHUP: the signals are taken
/// by a thread of their own (sigwait), which records the signal and wakes any source
/// waiting for input, so the stream ends as at end of file: open reports are flushed, the
/// verdicts and the summary are written, and the caller exits 128 + the signal.
public enum StopRequest {
    private static let received = Atomic<Int32>(0)
    nonisolated(unsafe) private static var wakePipe: (read: Int32, write: Int32) = (-1, -1)

    /// The signal that asked for the stop, or 0.
    public static var signal: Int32 { received.load(ordering: .acquiring) }
    public static var isRequested: Bool { signal != 0 }

    /// The signals go to the stop thread (`watch()` was called).
    public static var isWatching: Bool { wakePipe.read >= 0 }

    /// The descriptor that becomes readable on a stop (-1 when not watching).
    static var wakeDescriptor: Int32 { wakePipe.read }

    /// Takes the signals from now on. Call it on the main thread before any other thread
    /// that should not see them is started (threads inherit the blocked mask).
    public static func watch(_ signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        guard wakePipe.read < 0 else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        wakePipe = (fds[0], fds[1])
        var set = sigset_t()
        sigemptyset(&set)
        for number in signals { sigaddset(&set, number) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let blocked = set
        let writeEnd = fds[1]
        DedicatedThread.start {
            var set = blocked
            var number: Int32 = 0
            guard sigwait(&set, &number) == 0 else { return }
            received.store(number, ordering: .releasing)
            var byte: UInt8 = 1
            _ = Glibc.write(writeEnd, &byte, 1)
        }
    }
}
