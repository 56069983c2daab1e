#if canImport(Glibc)
import Glibc
#endif

/// The fields of a journal file's header that tell whether sd-journal can read it and how
/// many entries it holds. sd-journal skips a file it cannot open, and stops at the first
/// damaged entry of one it can, both without an error; these let the reader say so.
/// Layout: systemd's `src/libsystemd/sd-journal/journal-def.h` (`struct Header`).
struct JournalFileHeader {
    let headerSize: UInt64
    let arenaSize: UInt64
    let entries: UInt64
    let fileSize: UInt64

    /// The header of the open file `fd` (read with pread: the offset stays where it is), or
    /// why it cannot be read.
    static func read(_ fd: Int32) -> Result<JournalFileHeader, InputError> {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(InputError(.read, format: "journal", String(cString: strerror(errno)))) }
        var bytes = [UInt8](repeating: 0, count: 160)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n == bytes.count, MagicBytes.detect(bytes) == .journal else {
            return .failure(InputError(.truncated, format: "journal", "\(max(n, 0)) bytes, shorter than a journal header"))
        }
        func field(_ offset: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
        }
        let header = JournalFileHeader(headerSize: field(88), arenaSize: field(96), entries: field(152), fileSize: UInt64(info.st_size))
        let (end, overflow) = header.headerSize.addingReportingOverflow(header.arenaSize)
        if overflow || end > header.fileSize {
            return .failure(InputError(.truncated, format: "journal", "the header gives \(overflow ? UInt64.max : end) bytes and the file has \(header.fileSize); sd-journal does not read it"))
        }
        return .success(header)
    }

    /// The files sd-journal reads in `directory`: `*.journal` and `*.journal~`, there and in
    /// machine-id subdirectories (32 hex digits), sorted.
    static func files(in directory: String) -> [String] {
        var found: [String] = []
        func names(_ path: String) -> [(String, UInt8)] {
            guard let dir = opendir(path) else { return [] }
            defer { closedir(dir) }
            var result: [(String, UInt8)] = []
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if !name.hasPrefix(".") { result.append((name, entry.pointee.d_type)) }
            }
            return result
        }
        for (name, type) in names(directory) {
            let path = directory + "/" + name
            if name.hasSuffix(".journal") || name.hasSuffix(".journal~") {
                found.append(path)
            } else if type == UInt8(DT_DIR), name.utf8.count == 32, name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) {
                found += names(path).map { path + "/" + $0.0 }.filter { $0.hasSuffix(".journal") || $0.hasSuffix(".journal~") }
            }
        }
        return found.sorted()
    }
}
