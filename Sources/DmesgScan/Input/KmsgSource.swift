#if canImport(Glibc)
import Glibc
#endif

/// Reads this machine's kernel log from /dev/kmsg: one record per read(2). Without
/// `follow` it stops when the records present now are read; with it, it waits for more.
/// Records the kernel overwrote before we read them (EPIPE) are skipped, not fatal.
public struct KmsgSource: ByteSource {
    public static let path = "/dev/kmsg"
    private let fd: Int32
    private let follow: Bool
    public private(set) var consumedBytes = 0
    private var idleTimeout: Int32 = -1
    private var onIdle: (() -> Void)?

    public init(follow: Bool) throws(InputError) {
        fd = open(KmsgSource.path, O_RDONLY | O_CLOEXEC | (follow ? 0 : O_NONBLOCK))
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw InputError(.open, "\(KmsgSource.path): \(reason); run it with sudo, or pipe the log in: dmesg | dmesgscan")
        }
        self.follow = follow
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            if StopRequest.isRequested { return 0 }
            if follow && !IdleWait.untilReadable(fd, timeout: idleTimeout, onIdle: onIdle) { return 0 }
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                consumedBytes += n
                return n
            }
            switch errno {
            case EINTR, EPIPE: continue
            case EAGAIN: return 0  // not following: everything present now was read
            case EINVAL: throw InputError(.read, offset: consumedBytes, "a /dev/kmsg record did not fit the read buffer")
            default: throw InputError(.read, offset: consumedBytes, String(cString: strerror(errno)))
            }
        }
    }

    public mutating func close() { _ = Glibc.close(fd) }

    public mutating func setIdleHandler(after seconds: Double, _ handler: @escaping () -> Void) {
        idleTimeout = Int32(seconds * 1000)
        onIdle = handler
    }
}
