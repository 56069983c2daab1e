#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file descriptor with large `read(2)` calls. Bytes already peeked for format
/// detection are replayed first.
public struct FileDescriptorSource: ByteSource {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var replay: [UInt8]
    private var replayOffset = 0
    public private(set) var consumedBytes = 0
    /// The descriptor, for readers that need it (sd-journal opens journal files by fd).
    public var descriptor: Int32 { fd }
    private var idleTimeout: Int32 = -1
    private var onIdle: (() -> Void)?

    public init(fd: Int32, ownsDescriptor: Bool, replay: [UInt8] = []) {
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        self.replay = replay
        var info = stat()
        isStream = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if replayOffset < replay.count {
            let n = min(buffer.count, replay.count - replayOffset)
            replay.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + replayOffset, byteCount: n)
            }
            replayOffset += n
            consumedBytes += n
            return n
        }
        while true {
            // A stop request (SIGINT in a live run) ends the stream as its end would.
            if StopRequest.isRequested { return 0 }
            // A pipe or terminal: wake up after a quiet interval to flush open reports.
            if onIdle != nil || StopRequest.wakeDescriptor >= 0 {
                if isStream && !IdleWait.untilReadable(fd, timeout: idleTimeout, onIdle: onIdle) { return 0 }
            }
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                consumedBytes += n
                return n
            }
            if errno == EINTR { continue }
            throw InputError(.read, offset: consumedBytes, String(cString: strerror(errno)))
        }
    }

    /// Reads up to `count` bytes (at least 8 unless the input is shorter) for format
    /// detection; they are replayed by `read`.
    public mutating func peek(_ count: Int) throws(InputError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            // A live stream waits here for its first bytes: a stop request ends the wait.
            if StopRequest.wakeDescriptor >= 0 && isStream && !IdleWait.untilReadable(fd, timeout: -1, onIdle: nil) { break }
            let n = bytes.withUnsafeMutableBytes { buf in
                Glibc.read(fd, buf.baseAddress! + filled, count - filled)
            }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw InputError(.read, offset: filled, String(cString: strerror(errno)))
            }
            filled += n
            // A pipe delivers what it has; waiting for all `count` bytes would hold a live
            // stream back. The short magic numbers need only the first few bytes.
            if filled >= 8 { break }
        }
        bytes.removeSubrange(filled...)
        replay = bytes
        replayOffset = 0
        consumedBytes = 0
        return bytes
    }

    public mutating func close() {
        if ownsDescriptor { _ = Glibc.close(fd) }
    }

    /// Not a regular file: a pipe, terminal, FIFO or socket, where a read can wait.
    private let isStream: Bool

    public mutating func setIdleHandler(after seconds: Double, _ handler: @escaping () -> Void) {
        guard isStream else { return }
        idleTimeout = Int32(seconds * 1000)
        onIdle = handler
    }
}
