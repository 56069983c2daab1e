#if canImport(Glibc)
import Glibc
#endif

/// `--cache DIR`: each input's results stored under a key of what decides them: its path,
/// size and modification time (or a hash of its bytes, `--cache-by content`), the tool
/// version and the rules digest. A changed file or rule changes the key, so exactly what
/// must be scanned again is. Entries are written to a temporary file and renamed into place,
/// so parallel runs never see half an entry and hold no lock.
public struct ResultCache: Sendable {
    public let directory: String
    public let byContent: Bool
    let salt: String

    public init(directory: String, toolVersion: String, rulesDigest: String, byContent: Bool) throws(InputError) {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw InputError(.open, "cache directory \(directory): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw InputError(.open, "cache directory \(directory) is not a directory")
        }
        self.directory = directory
        self.byContent = byContent
        self.salt = "dmesgscan \(toolVersion)\u{0}rules \(rulesDigest)\u{0}codec \(ResultCodec.version)"
    }

    /// The key of a file input; nil for what cannot be cached (stdin, the journal, a path
    /// that cannot be stat'ed).
    public func key(for location: InputLocation) -> String? {
        guard case .file(let path) = location else { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var hash = FNV1a64()
        hash.add(salt)
        hash.add("\u{0}\(CanonicalPath.of(path))\u{0}\(info.st_size)\u{0}")
        if byContent {
            guard let digest = ResultCache.contentDigest(path) else { return nil }
            hash.add(digest)
        } else {
            hash.add("\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
        }
        return hash.hex
    }

    /// Whether an entry is stored under `key` (entries appear whole, by rename).
    public func has(_ key: String) -> Bool { access(entry(key), R_OK) == 0 }

    public func load(_ key: String) -> [InputResult]? {
        let fd = open(entry(key), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        guard FileDescriptorRead.toEnd(fd, appendingTo: &bytes), let value = JSONParser.parse(bytes) else { return nil }
        return ResultCodec.decode(value)
    }

    /// Stores `results` under `key`; a failure only costs a scan next time.
    public func store(_ results: [InputResult], key: String) {
        var random = FNV1a64()
        random.add("\(getpid()) \(key) \(clock())")
        let temporary = directory + "/.tmp-\(random.hex)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let written = FileDescriptorWrite.all(fd, ResultCodec.encode(results).serialized()) == nil
        close(fd)
        if !written || rename(temporary, entry(key)) != 0 { unlink(temporary) }
    }

    private func entry(_ key: String) -> String { directory + "/" + key + ".json" }

    /// FNV-1a of the file's bytes.
    static func contentDigest(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var hash = FNV1a64()
        var chunk: [UInt8] = []
        while true {
            chunk.removeAll(keepingCapacity: true)
            guard FileDescriptorRead.some(fd, appendingTo: &chunk) else { return nil }
            if chunk.isEmpty { return hash.hex }
            hash.add(bytes: chunk)
        }
    }
}
