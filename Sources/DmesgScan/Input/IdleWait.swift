#if canImport(Glibc)
import Glibc
#endif

/// For live streams: wait until `fd` is readable, calling `onIdle` each time `timeout`
/// milliseconds pass with no data (so open reports can be flushed).
enum IdleWait {
    static func untilReadable(_ fd: Int32, timeout: Int32, onIdle: () -> Void) {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, timeout) == 0 { onIdle() }
    }
}
