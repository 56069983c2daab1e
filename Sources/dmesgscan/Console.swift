import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to stdout/stderr with write(2): output is flushed as it is produced
/// (pipes stay live), and a closed pipe ends the program quietly with status 0.
enum Console {
    static func out(_ text: String) { write(1, text) }
    /// Messages name files and quote log text: their control characters are escaped.
    static func err(_ text: String) {
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        write(2, TextReport.escapeControls(body) + "\n")
    }
    static func errRaw(_ text: String) { write(2, text) }

    static func ignoreSigpipe() { signal(SIGPIPE, SIG_IGN) }

    static var stdinIsTerminal: Bool { isatty(0) != 0 }
    static var stdoutIsTerminal: Bool { isatty(1) != 0 }
    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Writes all of `text` to `fd`; a closed pipe on stdout ends the program with status 0.
    static func write(_ fd: Int32, _ text: String) {
        if writeAll(fd, text) == EPIPE { _exit(0) }  // as OutputSink: other threads may be running
    }

    /// Writes all of `text` to `fd`, retrying interrupted writes: nil, or the errno that stopped it.
    static func writeAll(_ fd: Int32, _ text: String) -> Int32? { FileDescriptorWrite.all(fd, text) }
}
