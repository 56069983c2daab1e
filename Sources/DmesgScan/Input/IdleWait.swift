#if canImport(Glibc)
import Glibc
#endif

/// For live streams: wait until `fd` is readable, calling `onIdle` each time `timeout`
/// milliseconds pass with no data (so open reports can be flushed). False when a stop was
/// requested instead (see `StopRequest`).
enum IdleWait {
    static func untilReadable(_ fd: Int32, timeout: Int32, onIdle: (() -> Void)?) -> Bool {
        var pollers = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        if StopRequest.wakeDescriptor >= 0 { pollers.append(pollfd(fd: StopRequest.wakeDescriptor, events: Int16(POLLIN), revents: 0)) }
        while true {
            if StopRequest.isRequested { return false }
            let n = poll(&pollers, nfds_t(pollers.count), onIdle == nil ? -1 : timeout)
            if n == 0 {
                onIdle?()
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if pollers.count > 1 && pollers[1].revents != 0 { return false }
            return true
        }
    }
}
