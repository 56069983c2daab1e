#if canImport(Glibc)
import Glibc
#endif

/// Text that a format can write only after something known at the end (JUnit's root
/// counts, KCIDB's issue list, merge's inputs in path order): kept in an unlinked temporary
/// file, not in memory, and copied out once or read back by range. If no temporary file can
/// be made, or the temporary disk fills, the rest is kept in memory.
final class SpillBuffer {
    private var file: UnsafeMutablePointer<FILE>?
    /// Bytes after the file's, once it could take no more.
    private var memory: [UInt8] = []
    private var fileBytes = 0

    init() {
        let directory = getenv("TMPDIR").flatMap { $0.pointee != 0 ? String(cString: $0) : nil } ?? "/tmp"
        var template = Array((directory + "/.dmesgscan-spill-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        file = fdopen(fd, "w+")
        if file == nil { close(fd) }
    }

    deinit { if let file { fclose(file) } }

    func append(_ text: String) {
        var text = text
        text.withUTF8 { _ = append($0) }
    }

    /// Appends `bytes`; returns where they are, for `bytes(in:)`.
    @discardableResult
    func append(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = fileBytes + memory.count
        // Once anything is in memory, the rest goes there too, to keep the order.
        guard let file, memory.isEmpty else {
            memory.append(contentsOf: bytes)
            return start..<(start + bytes.count)
        }
        let written = bytes.count == 0 ? 0 : fwrite(bytes.baseAddress, 1, bytes.count, file)
        if written == bytes.count {
            fileBytes += written
        } else {
            // The temporary disk is full: drop the part written, keep the bytes in memory.
            fflush(file)
            _ = ftruncate(fileno(file), off_t(fileBytes))
            fseek(file, fileBytes, SEEK_SET)
            memory.append(contentsOf: bytes)
        }
        return start..<(start + bytes.count)
    }

    /// The bytes one `append` returned `range` for.
    func bytes(in range: Range<Int>) -> [UInt8] {
        if range.lowerBound >= fileBytes {
            return Array(memory[(range.lowerBound - fileBytes)..<(range.upperBound - fileBytes)])
        }
        guard let file else { return [] }
        fflush(file)
        var out = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let n = out.withUnsafeMutableBytes { pread(fileno(file), $0.baseAddress! + done, range.count - done, off_t(range.lowerBound + done)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        return done == range.count ? out : Array(out[..<done])
    }

    /// Hands everything appended, in order, to `emit`, in chunks.
    func drain(_ emit: (String) -> Void) {
        if let file {
            fflush(file)
            rewind(file)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
            defer { buffer.deallocate() }
            var left = fileBytes
            while left > 0, case let n = fread(buffer.baseAddress, 1, min(buffer.count, left), file), n > 0 {
                // End the chunk before a character the read may have cut; it starts the next.
                var cut = n
                if n == buffer.count {
                    while cut > 0 && buffer[cut - 1] & 0xC0 == 0x80 { cut -= 1 }
                    if cut > 0 && buffer[cut - 1] >= 0xC0 { cut -= 1 }
                    if cut == 0 { cut = n }
                    fseek(file, -(n - cut), SEEK_CUR)
                }
                left -= cut
                emit(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[..<cut]), as: UTF8.self))
            }
        }
        if !memory.isEmpty { emit(String(decoding: memory, as: UTF8.self)) }
    }
}
