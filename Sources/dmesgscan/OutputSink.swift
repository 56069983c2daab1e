import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

/// The CLI's end of `OutputFile`: a signal removes its temporary file, a closed pipe ends
/// the run quietly, and any other write error ends it with status 2.
final class OutputSink {
    private let file: OutputFile
    var displayName: String { file.displayName }
    var temporaryFile: InputExpander.FileID? { file.temporaryFile }

    init(path: String?) throws {
        do { file = try OutputFile(path: path) } catch { throw Failure(error.description) }
        if let temporary = file.temporaryPath { TemporaryFileCleanup.register(temporary) }
    }

    /// Writes all of `text`. The first failure ends the run: the temporary file is removed,
    /// the error names the path, and the exit status is 2 (a closed pipe ends quietly).
    func write(_ text: String) {
        guard let error = file.write(text) else { return }
        // The reader has gone (`| head`): a quiet end. `_exit`, because the read-ahead
        // thread may still be running, and exit-time handlers (LeakSanitizer's among them)
        // would take what it holds for leaks.
        if error == EPIPE && file.isStream { _exit(0) }
        abandon()
        Console.err("dmesgscan: \(displayName): cannot write: \(String(cString: strerror(error)))")
        // Nothing is buffered (all output is write(2)); _exit skips exit-time handlers, which
        // would otherwise report the scan's live objects as leaks under LeakSanitizer.
        _exit(2)
    }

    /// Syncs, closes and moves the finished file into place.
    func commit() throws {
        defer { TemporaryFileCleanup.unregister() }
        do { try file.commit() } catch { throw Failure(error.description) }
    }

    /// Drops the temporary file (on an error that ends the run).
    func abandon() {
        file.abandon()
        TemporaryFileCleanup.unregister()
    }
}
