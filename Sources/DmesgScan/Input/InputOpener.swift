#if canImport(Glibc)
import Glibc
#endif

/// Where a log comes from.
public enum InputLocation: Sendable, Equatable {
    case file(String)
    case standardInput

    public var displayName: String {
        switch self {
        case .file(let path): return path
        case .standardInput: return "<stdin>"
        }
    }
}

/// Opens an input and picks its decoder by magic bytes, never by file name.
public enum InputOpener {
    static let gzipMagic: [UInt8] = [0x1f, 0x8b]

    public static func open(_ location: InputLocation) throws(InputError) -> any ByteSource {
        let fd: Int32
        switch location {
        case .standardInput:
            fd = 0
        case .file(let path):
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw InputError(.open, String(cString: strerror(errno))) }
            var info = stat()
            if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                _ = Glibc.close(fd)
                throw InputError(.open, "is a directory")
            }
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        }
        var raw = FileDescriptorSource(fd: fd, ownsDescriptor: location != .standardInput)
        let head: [UInt8]
        do { head = try raw.peek(2) } catch {
            raw.close()
            throw error
        }
        if head == gzipMagic { return GzipSource(upstream: raw) }
        return raw
    }
}
