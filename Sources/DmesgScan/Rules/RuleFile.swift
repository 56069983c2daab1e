#if canImport(Glibc)
import Glibc
#endif

/// Small file helpers for rule files (kilobytes, read whole; logs never go through here).
enum RuleFile {
    /// Rule files larger than this are refused (the shipped ones are a few KiB each).
    static let maxBytes = 16 << 20

    /// Reads a rule file: a regular file only (a FIFO would block, a device never end), at
    /// most `maxBytes`.
    static func read(_ path: String, kind: String = "rule file") throws(RuleError) -> String {
        func failure(_ why: String) -> RuleError { RuleError(SourceLocation(file: path, line: 0, column: 0), why) }
        // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw failure("cannot read \(kind): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw failure("not a regular file; \(kind)s must be regular files") }
        guard Int(info.st_size) <= maxBytes else { throw failure("\(kind) larger than \(maxBytes >> 20) MiB") }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 65536) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if n < 0 { throw failure("cannot read \(kind): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maxBytes { throw failure("\(kind) larger than \(maxBytes >> 20) MiB") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `*.yml` and `*.yaml` files of a directory, sorted by name; a file path is returned as is.
    static func yamlFiles(in path: String) -> [String]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) != S_IFDIR { return [path] }
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if !name.hasPrefix("."), name.hasSuffix(".yml") || name.hasSuffix(".yaml") { names.append(name) }
        }
        // Only regular files: a FIFO or device named *.yml in the folder is not a rule file.
        return names.sorted().map { path.hasSuffix("/") ? path + $0 : path + "/" + $0 }.filter { file in
            var entry = stat()
            return stat(file, &entry) == 0 && (entry.st_mode & S_IFMT) == S_IFREG
        }
    }
}
