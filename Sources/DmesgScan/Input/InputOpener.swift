#if canImport(Glibc)
import Glibc
#endif

/// Where a log comes from.
public enum InputLocation: Sendable, Equatable {
    case file(String)
    case standardInput
    /// A directory of systemd journal files, read as one journal.
    case journalDirectory(String)
    /// This machine's system journal (like `journalctl -k`).
    case systemJournal

    public var displayName: String {
        switch self {
        case .file(let path), .journalDirectory(let path): return path
        case .standardInput: return "<stdin>"
        case .systemJournal: return "journal:local"
        }
    }
}

/// An opened input: a byte stream (plain or gzip), or an archive of members.
public enum OpenedInput {
    case stream(any ByteSource)
    case archive(ArchiveReader)
}

/// Opens an input and picks its decoder by magic bytes, never by file name.
public enum InputOpener {
    /// `inflater` decodes gzip (zlib's only for the benchmark's reference pass).
    public static func open(_ location: InputLocation, inflater: InflaterKind = .isal) throws(InputError) -> OpenedInput {
        let fd: Int32
        var isRegular = false
        switch location {
        case .journalDirectory(let path):
            return .stream(try JournalSource(.directory(path)))
        case .systemJournal:
            return .stream(try JournalSource(.system))
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
            isRegular = (info.st_mode & S_IFMT) == S_IFREG
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        }
        var raw = FileDescriptorSource(fd: fd, ownsDescriptor: location != .standardInput)
        let head: [UInt8]
        do { head = try raw.peek(4096) } catch {
            raw.close()
            throw error
        }
        if MagicBytes.detect(head) == .journal {
            guard location != .standardInput else {
                throw InputError(.unsupported, "a systemd journal file on stdin (name the file: sd-journal needs to seek)")
            }
            return .stream(try JournalSource(.descriptor(raw.descriptor)))
        }
        if MagicBytes.detect(head) == .sevenZip && isRegular {
            // 7z keeps its index at the end: libarchive reads it from the file, seeking.
            return .archive(try ArchiveReader(seekableDescriptor: raw.descriptor))
        }
        return try open(raw, head: head, inflater: inflater)
    }

    /// How deep archives and compression layers may nest (a gzip in an xz, a tar.gz in a
    /// tar). Deeper is refused: a stream that decodes to itself, or a nesting bomb, would
    /// otherwise recurse without end.
    public static let maxNesting = 32

    /// The error for data nested deeper than `maxNesting`.
    public static let nestedTooDeep = InputError(.archive, "archives or compression layers nested deeper than \(maxNesting); the data is probably corrupt")

    /// Chooses the decoder for `source`, whose first bytes are `head`.
    public static func open(_ source: some ByteSource, head: [UInt8], depth: Int = 1, inflater: InflaterKind = .isal) throws(InputError) -> OpenedInput {
        switch MagicBytes.detect(head) {
        // Compression is decoded by the format's own library, which keeps what came before
        // damage (libarchive's filters drop what they buffered); a tar inside is found in
        // the decoded bytes, as any other layer.
        case .gzip:
            return try layered(GzipSource(upstream: source, inflater: inflater), depth: depth, inflater: inflater)
        case .xz:
            return try layered(XzSource(upstream: source), depth: depth, inflater: inflater)
        case .bzip2:
            return try layered(DecodedSource(decoder: Bzip2Decoder(), upstream: source), depth: depth, inflater: inflater)
        case .zstd:
            return try layered(DecodedSource(decoder: ZstdDecoder(), upstream: source), depth: depth, inflater: inflater)
        case .lz4:
            return try layered(DecodedSource(decoder: Lz4Decoder(), upstream: source), depth: depth, inflater: inflater)
        case .tar, .zip, .cpio:
            return .archive(try ArchiveReader(upstream: source))
        case .sevenZip:
            var source = source
            source.close()
            throw InputError(.unsupported, "a 7z archive read as a stream (from a pipe, or inside another archive or compression): 7z keeps its index at the end, so name the .7z file itself")
        case .journal:
            throw InputError(.unsupported, "a systemd journal file inside an archive (extract it, or export it with `journalctl --file FILE -k -o json`)")
        case .unsupported(let name):
            var source = source
            source.close()
            throw InputError(.unsupported, "\(name) (dmesgscan reads text logs, gzip, xz, bzip2, zstd, lz4, tar, zip and cpio)")
        case .text:
            return .stream(source)
        }
    }

    /// A decoded stream that may itself be compressed (`log.gz.gz`, a gzip inside an xz):
    /// each layer is decoded in turn. Anything else decoded is read as a log.
    static func layered(_ decoded: some ByteSource, depth: Int, inflater: InflaterKind) throws(InputError) -> OpenedInput {
        var replay = ReplaySource(decoded)
        let inner = try replay.peek(4096)  // a decode error here is kept and follows the bytes read
        switch MagicBytes.detect(inner) {
        case .gzip, .xz, .bzip2, .zstd, .lz4, .tar, .zip, .sevenZip, .cpio:
            guard depth < maxNesting else { throw nestedTooDeep }
            return try open(replay, head: inner, depth: depth + 1, inflater: inflater)
        case .text, .unsupported, .journal:
            return .stream(replay)
        }
    }
}
