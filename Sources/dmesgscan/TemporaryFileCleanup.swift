import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

/// Removes the output's temporary file when SIGINT, SIGTERM or SIGHUP ends the run: the
/// handler may only call async-signal-safe functions, so the path is kept as a C string.
enum TemporaryFileCleanup {
    nonisolated(unsafe) private static var pending: UnsafeMutablePointer<CChar>?

    static func register(_ path: String) {
        pending = strdup(path)
        // A parent may have left these blocked (some process launchers do): unblock them, or
        // the run could neither be stopped nor clean up. A live stream has them blocked on
        // purpose: its stop thread takes them (StopRequest) and ends the stream in order.
        if !StopRequest.isWatching {
            var unblocked = sigset_t()
            sigemptyset(&unblocked)
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblocked, signalNumber) }
            pthread_sigmask(SIG_UNBLOCK, &unblocked, nil)
        }
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                if let path = TemporaryFileCleanup.pending { unlink(path) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    static func unregister() {
        let path = pending
        pending = nil
        free(path)
    }
}
