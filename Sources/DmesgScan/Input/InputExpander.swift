#if canImport(Glibc)
import Glibc
#endif

/// Turns what the user named into inputs: files as they are, directories walked
/// recursively (sorted, hidden entries skipped unless asked, symlink loops reported, only
/// regular files taken), and lists of paths read from a file or stdin.
public struct InputExpander {
    public enum Item: Sendable, Equatable {
        case input(InputLocation)
        case error(String, InputError)
    }

    public var includeHidden = false
    /// Files never taken as inputs (the output's own temporary file, by device and inode).
    public var excluded: Set<FileID> = []
    /// `--shard`: only paths this filter keeps become inputs, and the others are never
    /// stat'ed or opened (files found by walking are told by their directory entry's type).
    public var keep: ((String) -> Bool)?
    /// Every path listed or found, kept or not (what a shard was cut from).
    public private(set) var listed: [String] = []

    public init(includeHidden: Bool = false) { self.includeHidden = includeHidden }

    public func expand(_ paths: [String]) -> [Item] {
        var copy = self
        return copy.expandListing(paths)
    }

    /// Expands `paths` (arguments: each is stat'ed to tell a directory) and `listedPaths`
    /// (`--files-from` lines: a shard takes its own before looking at them), recording in
    /// `listed` every path seen.
    public mutating func expandListing(_ paths: [String], listedPaths: [String] = []) -> [Item] {
        var items: [Item] = []
        for path in listedPaths {
            listed.append(path)
            if let keep, !keep(path) { continue }
            items += expandOne(path, counted: true)
        }
        for path in paths { items += expandOne(path, counted: false) }
        return items
    }

    private mutating func expandOne(_ path: String, counted: Bool) -> [Item] {
        var items: [Item] = []
        if path == "-" {
            if !counted { listed.append(path) }
            items.append(.input(.standardInput))
            return items
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            if !counted { listed.append(path) }
            if !counted, let keep, !keep(path) { return items }
            items.append(.error(path, InputError(.open, String(cString: strerror(errno)))))
            return items
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if InputExpander.holdsJournal(path) {
                if !counted { listed.append(path) }
                if !counted, let keep, !keep(path) { return items }
                items.append(.input(.journalDirectory(path)))  // one journal, however many files
            } else {
                walk(path, ancestors: [FileID(info)], into: &items)
            }
        } else if !excluded.contains(FileID(info)) {
            if !counted { listed.append(path) }
            if !counted, let keep, !keep(path) { return items }
            items.append(.input(.file(path)))
        }
        return items
    }

    /// A directory whose regular files start with the journal magic (by content, not name).
    static func holdsJournal(_ directory: String) -> Bool {
        guard let dir = opendir(directory) else { return false }
        defer { closedir(dir) }
        var checked = 0
        while let entry = readdir(dir), checked < 8 {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name.hasPrefix(".") { continue }
            let fd = open(directory + "/" + name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else { continue }
            var info = stat()
            var magic = [UInt8](repeating: 0, count: 8)
            let isFile = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
            let n = isFile ? magic.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 8) } : 0
            close(fd)
            guard isFile else { continue }
            checked += 1
            if n == 8 && MagicBytes.detect(magic) == .journal { return true }
        }
        return false
    }

    public struct FileID: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
        public init(device: UInt64, inode: UInt64) {
            self.device = device
            self.inode = inode
        }
    }

    private mutating func walk(_ directory: String, ancestors: Set<FileID>, into items: inout [Item]) {
        guard let dir = opendir(directory) else {
            items.append(.error(directory, InputError(.open, String(cString: strerror(errno)))))
            return
        }
        var names: [(name: String, regular: Bool)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            if !includeHidden && name.hasPrefix(".") { continue }
            names.append((name, entry.pointee.d_type == UInt8(DT_REG)))
        }
        closedir(dir)
        for (name, regular) in names.sorted(by: { $0.name < $1.name }) {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            // Another shard's regular file: counted, never stat'ed.
            if regular, let keep, !keep(path) {
                listed.append(path)
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                items.append(.error(path, InputError(.open, String(cString: strerror(errno)))))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let id = FileID(info)
                if ancestors.contains(id) {
                    items.append(.error(path, InputError(.open, "directory symlink loop (already being walked)")))
                } else {
                    walk(path, ancestors: ancestors.union([id]), into: &items)
                }
            case S_IFREG:
                if !excluded.contains(FileID(info)) {
                    listed.append(path)
                    if let keep, !keep(path) { continue }
                    items.append(.input(.file(path)))
                }
            default:
                break  // FIFOs, sockets and devices found by walking are not logs
            }
        }
    }

    /// Paths from a list file (or `-` for stdin), one per line or NUL-separated.
    public static func readList(_ path: String, nulSeparated: Bool) throws(InputError) -> [String] {
        let location: InputLocation = path == "-" ? .standardInput : .file(path)
        guard case .stream(var source) = try InputOpener.open(location) else {
            throw InputError(.unsupported, "a list of paths must be text")
        }
        defer { source.close() }
        var paths: [String] = []
        var pending: [UInt8] = []
        let separator: UInt8 = nulSeparated ? 0 : 0x0A
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try source.read(into: buffer)
            if n == 0 { break }
            for byte in buffer[0..<n] {
                if byte == separator {
                    if !pending.isEmpty { paths.append(String(decoding: pending, as: UTF8.self)) }
                    pending.removeAll(keepingCapacity: true)
                } else if !(byte == 0x0D && !nulSeparated) {
                    pending.append(byte)
                }
            }
        }
        if !pending.isEmpty { paths.append(String(decoding: pending, as: UTF8.self)) }
        return paths
    }
}
