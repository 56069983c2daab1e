import CSystemd

#if canImport(Glibc)
import Glibc
#endif

/// Reads kernel entries (`_TRANSPORT=kernel`) of systemd journal files through libsystemd's
/// sd-journal API and hands them on as `journalctl -o json` lines, so the records stage
/// parses them like an export: MESSAGE, PRIORITY, _SOURCE_MONOTONIC_TIMESTAMP, _BOOT_ID,
/// __REALTIME_TIMESTAMP, _HOSTNAME.
public final class JournalSource: ByteSource {
    public enum Target: Sendable, Equatable {
        case descriptor(Int32)
        case directory(String)
        case system
    }

    private var journal: OpaquePointer?
    private var pending: [UInt8] = []
    private var offset = 0
    private var finished = false
    private let ownedDescriptor: Int32?
    public private(set) var consumedBytes = 0

    public init(_ target: Target) throws(InputError) {
        var handle: OpaquePointer?
        let rc: Int32
        switch target {
        case .descriptor(let fd):
            switch JournalFileHeader.read(fd) {
            case .success(let header): expectedEntries = header.entries
            case .failure(let error):
                _ = Glibc.close(fd)
                throw error
            }
            var fds = [fd]
            rc = sd_journal_open_files_fd(&handle, &fds, 1, 0)
            // On success the journal owns the descriptor (sd_journal_close closes it).
            if rc < 0 { _ = Glibc.close(fd) }
            ownedDescriptor = nil
        case .directory(let path):
            var expected: UInt64 = 0
            for file in JournalFileHeader.files(in: path) {
                let fd = Glibc.open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
                let header = fd < 0 ? .failure(InputError(.open, format: "journal", String(cString: strerror(errno)))) : JournalFileHeader.read(fd)
                if fd >= 0 { _ = Glibc.close(fd) }
                switch header {
                case .success(let header): expected += header.entries
                case .failure(let error): unreadFiles.append("\(file): \(error.detail)")
                }
            }
            expectedEntries = expected
            rc = sd_journal_open_directory(&handle, path, 0)
            ownedDescriptor = nil
        case .system:
            rc = sd_journal_open(&handle, Int32(SD_JOURNAL_LOCAL_ONLY))
            ownedDescriptor = nil
        }
        guard rc >= 0, let handle else {
            throw InputError(.corrupt, format: "journal", "cannot open the journal: \(String(cString: strerror(-rc)))")
        }
        journal = handle
        // Files are walked entry by entry and kernel ones kept here, not with a _TRANSPORT
        // match: the count can then be checked against the headers, and a match's own index
        // stops at damage sooner than the entry order does. The live journal (no count to
        // check, mostly userspace entries) keeps the faster match.
        if expectedEntries == nil { _ = sd_journal_add_match(handle, "_TRANSPORT=kernel", 0) }
    }

    /// The whole `_TRANSPORT=kernel` item, compared in place (most entries of a system
    /// journal are userspace ones: no copy for them).
    private static let kernelTransportItem = Array("_TRANSPORT=kernel".utf8)

    private func isKernelEntry() -> Bool {
        var pointer: UnsafeRawPointer?
        var length = 0
        guard sd_journal_get_data(journal, "_TRANSPORT", &pointer, &length) >= 0, let pointer,
              length == JournalSource.kernelTransportItem.count else { return false }
        return JournalSource.kernelTransportItem.withUnsafeBytes { memcmp($0.baseAddress!, pointer, length) == 0 }
    }

    /// Entries the files' headers list (nil for the live system journal, which grows).
    private var expectedEntries: UInt64?
    /// Journal files in a directory that sd-journal would skip without a word.
    private var unreadFiles: [String] = []
    private var allEntries: UInt64 = 0

    deinit {
        if let journal { sd_journal_close(journal) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        var written = 0
        while written < buffer.count {
            if offset == pending.count {
                if finished { break }
                do throws(InputError) { try nextEntry() } catch {
                    if written > 0 { finished = true; pendingError = error; break }
                    throw error
                }
                if finished && pending.isEmpty { break }
            }
            let n = min(buffer.count - written, pending.count - offset)
            pending.withUnsafeBytes { buffer.baseAddress!.advanced(by: written).copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            written += n
        }
        if written == 0, let error = pendingError {
            pendingError = nil
            throw error
        }
        consumedBytes += written
        return written
    }

    private var pendingError: InputError?
    private var entries = 0

    /// Formats the next kernel entry as one JSON line into `pending`.
    private func nextEntry() throws(InputError) {
        pending.removeAll(keepingCapacity: true)
        offset = 0
        guard let journal else { finished = true; return }
        var rc: Int32
        repeat {
            rc = sd_journal_next(journal)
            if rc > 0 {
                allEntries += 1
                _ = sd_journal_get_realtime_usec(journal, &lastRealtime)
            }
        } while rc > 0 && !isKernelEntry()
        if rc == 0 {
            finished = true
            try checkCompleteness()
            return
        }
        if rc < 0 {
            finished = true
            throw InputError(.corrupt, format: "journal", "entry \(allEntries + 1) cannot be read (\(String(cString: strerror(-rc))))\(afterLastEntry)")
        }
        entries += 1
        // The entry as one `journalctl -o json` line, written as bytes (no String per entry).
        var line: [UInt8] = [UInt8(ascii: "{")]
        func add(_ key: String, _ value: String) {
            if line.count > 1 { line.append(UInt8(ascii: ",")) }
            JSONText.escape(key, into: &line)
            line.append(UInt8(ascii: ":"))
            JSONText.escape(value, into: &line)
        }
        for field in ["_BOOT_ID", "PRIORITY", "SYSLOG_FACILITY", "_SOURCE_MONOTONIC_TIMESTAMP", "_HOSTNAME", "_TRANSPORT"] {
            if let value = data(field) { add(field, String(decoding: value, as: UTF8.self)) }
        }
        var realtime: UInt64 = 0
        if sd_journal_get_realtime_usec(journal, &realtime) >= 0 { add("__REALTIME_TIMESTAMP", String(realtime)) }
        if let message = data("MESSAGE") {
            if let text = String(validating: message, as: UTF8.self) {
                add("MESSAGE", text)
            } else {
                // Not UTF-8: journalctl writes such messages as an array of bytes.
                if line.count > 1 { line.append(UInt8(ascii: ",")) }
                line += Array(("\"MESSAGE\":[" + message.map(String.init).joined(separator: ",") + "]").utf8)
            }
        }
        line += Array("}\n".utf8)
        pending = line
    }

    /// sd-journal ends without an error when it meets a damaged entry (it drops that file)
    /// and skips files it cannot open: both are found by counting against the headers.
    private func checkCompleteness() throws(InputError) {
        var problems = unreadFiles.map { "not read: \($0)" }
        if let expectedEntries, allEntries < expectedEntries {
            problems.append("read \(allEntries) of the \(expectedEntries) entries the file headers list: the others are in damaged parts, which sd-journal stops at or skips\(afterLastEntry)")
        }
        guard !problems.isEmpty else { return }
        throw InputError(.corrupt, format: "journal", problems.joined(separator: "; "))
    }

    /// Where reading stopped: the cursor of the last entry read (`journalctl --after-cursor`),
    /// or its time where sd-journal has dropped the damaged file and with it the cursor.
    private var afterLastEntry: String {
        guard let journal, allEntries > 0 else { return "" }
        var cursor: UnsafeMutablePointer<CChar>?
        guard sd_journal_get_cursor(journal, &cursor) >= 0, let cursor else {
            return " (the last entry read has __REALTIME_TIMESTAMP=\(lastRealtime))"
        }
        defer { free(cursor) }
        return " (the last entry read has cursor \(String(cString: cursor)))"
    }

    private var lastRealtime: UInt64 = 0

    /// The value of `field` in the current entry, without its `FIELD=` prefix.
    private func data(_ field: String) -> [UInt8]? {
        var pointer: UnsafeRawPointer?
        var length = 0
        guard sd_journal_get_data(journal, field, &pointer, &length) >= 0, let pointer else { return nil }
        let prefix = field.utf8.count + 1
        guard length >= prefix else { return nil }
        return Array(UnsafeRawBufferPointer(start: pointer + prefix, count: length - prefix))
    }

    public func close() {
        if let journal { sd_journal_close(journal) }
        journal = nil
        if let ownedDescriptor { _ = Glibc.close(ownedDescriptor) }
    }
}
