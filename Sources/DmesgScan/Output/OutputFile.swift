#if canImport(Glibc)
import Glibc
#endif

/// Where output goes, without ever changing what the named path is:
/// - stdout or `-`: written as it is produced, so pipes stay live;
/// - a FIFO or a character device (`/dev/null`, `/dev/stdout`, a tty): opened and written
///   in place, never replaced;
/// - a regular file or a path that does not exist yet: written to a temporary file beside
///   it, created with `O_EXCL|O_NOFOLLOW` under a random name, given the old file's mode,
///   and renamed into place only once everything was written and synced;
/// - a symlink: its target, resolved once, under the same rules.
///
/// A failed write, sync, close or rename is an error naming the path, and leaves the old
/// file untouched. What ends the run on such an error is the caller's choice.
public final class OutputFile {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    private enum Destination {
        case stream
        case atomic(target: String, temporary: String)
    }

    private var fd: Int32
    private let destination: Destination
    /// The name errors use: the path as given, or "stdout".
    public let displayName: String

    public init(path: String?) throws(Failure) {
        guard let path, path != "-" else {
            guard fcntl(1, F_GETFD) >= 0 else { throw Failure("stdout: cannot write: it is closed") }
            fd = 1
            destination = .stream
            displayName = "stdout"
            return
        }
        displayName = path
        let target = try OutputFile.resolveSymlinks(path)
        var info = stat()
        if lstat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                let temporary = try OutputFile.createTemporary(besides: target, mode: mode_t(info.st_mode & 0o7777), owner: (info.st_uid, info.st_gid))
                (fd, destination) = (temporary.fd, .atomic(target: target, temporary: temporary.path))
            case S_IFIFO, S_IFCHR:
                // Like the shell's `> fifo`: the open waits for a reader.
                let opened = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC)
                guard opened >= 0 else { throw Failure("\(path): cannot write: \(OutputFile.lastError)") }
                (fd, destination) = (opened, .stream)
            case S_IFDIR:
                throw Failure("\(path): cannot write: it is a directory")
            default:
                throw Failure("\(path): cannot write: not a regular file, FIFO or character device")
            }
        } else if errno == ENOENT {
            let umaskValue = umask(0)
            umask(umaskValue)
            let temporary = try OutputFile.createTemporary(besides: target, mode: 0o666 & ~umaskValue, owner: nil)
            (fd, destination) = (temporary.fd, .atomic(target: target, temporary: temporary.path))
        } else {
            throw Failure("\(path): cannot write: \(OutputFile.lastError)")
        }
    }

    /// Output goes straight to a pipe, terminal or device (nothing to rename).
    public var isStream: Bool {
        if case .stream = destination { return true }
        return false
    }

    /// The temporary file's path, to be removed if a signal ends the run.
    public var temporaryPath: String? {
        if case .atomic(_, let temporary) = destination { return temporary }
        return nil
    }

    /// The temporary file's identity, so that a scan of its directory can leave it out.
    public var temporaryFile: InputExpander.FileID? {
        guard case .atomic = destination else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return InputExpander.FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// Writes all of `text`: nil, or the errno that stopped it (the file is then unfinished:
    /// `abandon` it).
    public func write(_ text: String) -> Int32? {
        guard fd >= 0 else { return EBADF }
        if let error = FileDescriptorWrite.all(fd, text) { return error }
        if writesBehind { writeBehind(text.utf8.count) }
        return nil
    }

    /// A regular file is synced before it counts as written (`commit`); the kernel is asked to
    /// start writing each few MiB back as soon as they are written, so that the final sync
    /// waits for the last of them only, not for the whole file (38 MB of JSON: 15 ms).
    private lazy var writesBehind: Bool = {
        var info = stat()
        return fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }()
    private var written = 0
    private var writtenBack = 0
    private static let writeBehindStep = 4 << 20

    private func writeBehind(_ count: Int) {
        written += count
        guard written - writtenBack >= OutputFile.writeBehindStep else { return }
        // POSIX_FADV_DONTNEED on dirty pages starts their writeback without waiting for it.
        _ = posix_fadvise(fd, off_t(writtenBack), off_t(written - writtenBack), POSIX_FADV_DONTNEED)
        writtenBack = written
    }

    /// Syncs, closes and moves the finished file into place.
    public func commit() throws(Failure) {
        switch destination {
        case .stream:
            // A regular file behind stdout (`> file`) must reach the disk; pipes and ttys refuse fsync.
            if fsync(fd) != 0 && errno != EINVAL && errno != EROFS { throw Failure("\(displayName): cannot sync: \(OutputFile.lastError)") }
            if fd != 1 && close(fd) != 0 { throw Failure("\(displayName): cannot close: \(OutputFile.lastError)") }
            fd = -1
        case .atomic(let target, let temporary):
            guard fsync(fd) == 0 else {
                let message = OutputFile.lastError
                abandon()
                throw Failure("\(displayName): cannot sync: \(message)")
            }
            let closed = close(fd)
            fd = -1
            guard closed == 0 else {
                let message = OutputFile.lastError
                unlink(temporary)
                throw Failure("\(displayName): cannot close: \(message)")
            }
            guard rename(temporary, target) == 0 else {
                let message = OutputFile.lastError
                unlink(temporary)
                throw Failure("\(displayName): cannot rename into place: \(message)")
            }
        }
    }

    /// Drops the temporary file, leaving the old one in place (on an error that ends the run).
    public func abandon() {
        if fd >= 0 && fd != 1 { close(fd) }
        fd = -1
        if case .atomic(_, let temporary) = destination { unlink(temporary) }
    }

    private static var lastError: String { String(cString: strerror(errno)) }

    /// Follows a chain of symlinks to the path it names (which need not exist yet).
    static func resolveSymlinks(_ path: String) throws(Failure) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { throw Failure("\(path): cannot read symlink: \(lastError)") }
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
        }
        throw Failure("\(path): cannot write: too many levels of symbolic links")
    }

    /// By bytes: as Characters, a "/" before a combining mark (a name that starts with one)
    /// is not a "/", and the file would be written one directory up.
    private static func directory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path.utf8[..<slash])!
    }

    private static func lastComponent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: 0x2F) else { return path }
        return String(path.utf8[path.utf8.index(after: slash)...])!
    }

    private static func createTemporary(besides target: String, mode: mode_t, owner: (uid_t, gid_t)?) throws(Failure) -> (fd: Int32, path: String) {
        let name = lastComponent(of: target)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let suffix = String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36)
            // Hidden, so that a directory scan skips it unless --hidden (and then by inode).
            let temporary = directory(of: target) + "/." + name + ".dmesgscan-" + suffix
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                throw Failure("\(target): cannot write: \(lastError)")
            }
            if let owner, getuid() == 0 { _ = fchown(fd, owner.0, owner.1) }
            fchmod(fd, mode)
            return (fd, temporary)
        }
        throw Failure("\(target): cannot create a temporary file beside it")
    }
}
