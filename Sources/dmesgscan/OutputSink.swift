#if canImport(Glibc)
import Glibc
#endif

/// Where output goes: stdout (written as it is produced, so pipes stay live), or a file
/// given with `-o`, written to a temporary file beside it and renamed into place at the
/// end, so a reader never sees half a report.
final class OutputSink {
    private let fd: Int32
    private let path: String?
    private let temporary: String?

    init(path: String?) throws {
        guard let path else {
            fd = 1
            self.path = nil
            temporary = nil
            return
        }
        let temp = path + ".tmp-\(getpid())"
        let opened = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw Failure("\(path): cannot write: \(String(cString: strerror(errno)))") }
        fd = opened
        self.path = path
        temporary = temp
    }

    func write(_ text: String) { Console.write(fd, text) }

    /// Moves the finished file into place.
    func commit() throws {
        guard let path, let temporary else { return }
        fsync(fd)
        close(fd)
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Failure("\(path): cannot rename into place: \(String(cString: strerror(errno)))")
        }
    }

    /// Drops the temporary file (on an error that ends the run).
    func abandon() {
        guard let temporary else { return }
        close(fd)
        unlink(temporary)
    }
}
