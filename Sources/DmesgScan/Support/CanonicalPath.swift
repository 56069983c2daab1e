#if canImport(Glibc)
import Glibc
#endif

/// One spelling per input, so that `logs/a.log`, `./logs/a.log` and `/srv/logs/a.log` are seen
/// as the same file: the real path where it exists (an archive member keeps its `:member`
/// after the archive's real path), else the path made absolute and tidied (`.`, `..`, `//`).
public enum CanonicalPath {
    public static func of(_ path: String) -> String {
        if path.hasPrefix("<") { return path }  // <stdin>, <kmsg>, <journal>
        if let real = realPath(path) { return real }
        // `archive.tar.gz:member/path`: the archive is the part before a colon that exists.
        var searchEnd = path.endIndex
        while let colon = path[..<searchEnd].lastIndex(of: ":") {
            if let real = realPath(String(path[..<colon])) { return real + path[colon...] }
            searchEnd = colon
        }
        return lexical(path)
    }

    /// Read once: a shard hashes every listed path, and dmesgscan never changes directory.
    static let workingDirectory: String = {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
        guard getcwd(&buffer, buffer.count) != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The path made absolute (from the working directory) and tidied, with no system call
    /// but `getcwd`: what a shard hashes, so that it need not look at another shard's files.
    public static func lexical(_ path: String) -> String {
        if path.hasPrefix("<") { return path }
        let absolute = path.hasPrefix("/") ? path : workingDirectory + "/" + path
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}
