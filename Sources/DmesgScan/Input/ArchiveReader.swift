import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// Reads archives and compressed files through libarchive: tar (plain or with any
/// compression), zip, cpio, and single xz/bzip2/zstd/lz4 files (libarchive's "raw" format).
/// Its input is another `ByteSource`, so an archive inside an archive member works too.
public final class ArchiveReader {
    private var upstream: any ByteSource
    private let archive: OpaquePointer
    private let buffer: UnsafeMutableRawBufferPointer
    private var upstreamError: InputError?
    /// True when the input is a single compressed file, not an archive of members.
    public private(set) var isRawStream = false
    public private(set) var formatName = ""

    public init(upstream: any ByteSource) throws(InputError) {
        self.upstream = upstream
        archive = archive_read_new()
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        archive_read_support_filter_all(archive)
        archive_read_support_format_tar(archive)
        archive_read_support_format_gnutar(archive)
        archive_read_support_format_zip(archive)
        archive_read_support_format_cpio(archive)
        archive_read_support_format_7zip(archive)
        archive_read_support_format_raw(archive)
        let client = Unmanaged.passUnretained(self).toOpaque()
        let rc = archive_read_open(archive, client, nil, { _, client, out in
            let reader = Unmanaged<ArchiveReader>.fromOpaque(client!).takeUnretainedValue()
            return reader.fill(out)
        }, nil)
        if rc != ARCHIVE_OK { throw error(.open) }
    }

    /// Reads a regular file through libarchive's own descriptor reader, which can seek (7z
    /// keeps its index at the end). The reader owns `fd` and closes it.
    public init(seekableDescriptor fd: Int32) throws(InputError) {
        upstream = MemorySource([])
        archive = archive_read_new()
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 16)
        ownedDescriptor = fd
        archive_read_support_filter_all(archive)
        archive_read_support_format_7zip(archive)
        _ = lseek(fd, 0, SEEK_SET)
        if archive_read_open_fd(archive, fd, 256 * 1024) != ARCHIVE_OK { throw error(.open) }
    }

    private var ownedDescriptor: Int32?

    deinit {
        archive_read_free(archive)
        buffer.deallocate()
        if let ownedDescriptor { _ = close(ownedDescriptor) }
    }

    /// libarchive's read callback: the next chunk of the upstream bytes.
    private func fill(_ out: UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int {
        do throws(InputError) {
            let n = try upstream.read(into: buffer)
            out?.pointee = UnsafeRawPointer(buffer.baseAddress!)
            return n
        } catch {
            upstreamError = error
            return -1
        }
    }

    /// The archive format in a word, for messages ("tar", "zip").
    private var formatFamily: String {
        switch archive_format(archive) & ARCHIVE_FORMAT_BASE_MASK {
        case ARCHIVE_FORMAT_TAR: return "tar"
        case ARCHIVE_FORMAT_ZIP: return "zip"
        case ARCHIVE_FORMAT_CPIO: return "cpio"
        case ARCHIVE_FORMAT_7ZIP: return "7z"
        default: return "archive"
        }
    }

    /// Compressed bytes read so far.
    public var consumedBytes: Int { Int(archive_filter_bytes(archive, -1)) }

    /// The current member's data is encrypted: it cannot be read, the members after it can.
    public private(set) var memberIsEncrypted = false

    /// Advances to the next regular file; nil at the end of the archive.
    public func nextMember() throws(InputError) -> String? {
        var entry: OpaquePointer?
        while true {
            let rc = archive_read_next_header(archive, &entry)
            if rc == ARCHIVE_EOF { return nil }
            if rc < ARCHIVE_WARN { throw error(.archive) }
            if formatName.isEmpty {
                formatName = archive_format_name(archive).map { String(cString: $0) } ?? ""
                isRawStream = archive_format(archive) == ARCHIVE_FORMAT_RAW
            }
            guard let entry else { continue }
            let type = archive_entry_filetype(entry)
            if type != 0 && type != 0o100000 { continue }  // AE_IFREG; raw streams report 0
            memberIsEncrypted = archive_entry_is_data_encrypted(entry) != 0
            return archive_entry_pathname(entry).map { String(cString: $0) } ?? "data"
        }
    }

    /// A source for the current member's bytes.
    public func memberSource() -> MemberSource {
        block = UnsafeRawBufferPointer(start: nil, count: 0)
        memberState = DeferredError()
        return MemberSource(reader: self)
    }

    /// What is left of the block libarchive last handed out (valid until the next call into it).
    private var block = UnsafeRawBufferPointer(start: nil, count: 0)
    private var memberState = DeferredError()

    /// Copies the current member's data block by block. `archive_read_data` would discard
    /// what it had already copied into `out` when the archive turns out damaged, so a cut
    /// member lost its last 256 KiB; here those bytes come first and the error after them.
    fileprivate func readData(into out: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if try memberState.check() { return 0 }
        var produced = 0
        while produced < out.count {
            if block.isEmpty {
                var pointer: UnsafeRawPointer?
                var size = 0
                var offset: la_int64_t = 0
                let rc = archive_read_data_block(archive, &pointer, &size, &offset)
                if rc == ARCHIVE_EOF {
                    memberState.finish()
                    break
                }
                if rc < ARCHIVE_WARN { return try memberState.fail(error(.archive), produced: produced) }
                // Holes of sparse members are left out: a log has none worth keeping.
                block = UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : size)
                continue
            }
            let n = min(block.count, out.count - produced)
            (out.baseAddress! + produced).copyMemory(from: block.baseAddress!, byteCount: n)
            block = UnsafeRawBufferPointer(rebasing: block[n...])
            produced += n
        }
        return produced
    }

    private func error(_ kind: InputError.Kind) -> InputError {
        if let upstreamError { return upstreamError }
        let message = archive_error_string(archive).map { String(cString: $0) } ?? "libarchive error"
        let lowered = message.lowercased()
        let truncated = lowered.contains("truncated") || lowered.contains("premature") || lowered.contains("unexpected end")
        return InputError(truncated ? .truncated : kind, offset: consumedBytes, format: formatFamily, message)
    }

    /// The bytes of one archive member.
    public struct MemberSource: ByteSource {
        let reader: ArchiveReader
        private var read = 0
        init(reader: ArchiveReader) { self.reader = reader }
        public var consumedBytes: Int { read }
        public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
            let n = try reader.readData(into: buffer)
            read += n
            return n
        }
        public mutating func close() {}
    }
}
