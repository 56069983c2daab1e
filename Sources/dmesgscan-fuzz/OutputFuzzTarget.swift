import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

/// `-o` on random paths of every kind: a regular file (with a random mode), a symlink to one,
/// a dangling symlink, a symlink loop, a FIFO, a new file, a file in a missing directory or
/// in a read-only one, /dev/null and /dev/full; random content in random chunks, committed
/// or abandoned halfway. Whatever happens, the path keeps its kind, an existing file holds
/// either its old content or all of the new, and no temporary file is left behind.
enum OutputFuzzTarget {
    nonisolated(unsafe) static var workDirectory: String?

    enum Kind: UInt8, CaseIterable {
        case file, symlink, danglingSymlink, symlinkLoop, fifo, newFile, missingDirectory, readOnlyDirectory, devNull, devFull
    }

    static func run(_ data: [UInt8]) {
        guard data.count >= 4, let kind = Kind(rawValue: data[0] % UInt8(Kind.allCases.count)) else { return }
        let mode = mode_t(data[1]) | 0o600  // readable and writable by us, the rest random
        let abandonAt = data[2] % 4 == 0 ? Int(data[3]) : nil
        let nameLength = min(Int(data[3] % 24) + 1, data.count - 4)
        // A random name: any bytes but NUL and '/', never "." or "..".
        var name = String(decoding: data[4..<(4 + nameLength)].map { $0 == 0 || $0 == 0x2F ? 0x5F : $0 }, as: UTF8.self)
        if ["", ".", "..", "target", "not-yet", "ro", "missing"].contains(name) || name.contains("dmesgscan-") { name = "out" }
        let content = Array(data[(4 + nameLength)...].prefix(8192))

        let dir = directory()
        let oldContent = Array("old report\n".utf8)
        var path = dir + "/" + name
        var target = path
        switch kind {
        case .file:
            create(path, oldContent, mode: mode)
        case .symlink:
            target = dir + "/target"
            create(target, oldContent, mode: mode)
            precondition(symlink("target", path) == 0)
        case .danglingSymlink:
            target = dir + "/not-yet"
            precondition(symlink("not-yet", path) == 0)
        case .symlinkLoop:
            precondition(symlink(name, path) == 0)
        case .fifo:
            precondition(mkfifo(path, 0o600) == 0)
        case .newFile:
            break
        case .missingDirectory:
            path = dir + "/missing/" + name
            target = path
        case .readOnlyDirectory:
            precondition(mkdir(dir + "/ro", 0o755) == 0)
            path = dir + "/ro/" + name
            target = path
            create(path, oldContent, mode: mode)
            chmod(dir + "/ro", 0o555)
        case .devNull:
            path = "/dev/null"
        case .devFull:
            path = "/dev/full"
        }
        // A FIFO's open waits for a reader: open one first, without waiting.
        let reader = kind == .fifo ? open(path, O_RDONLY | O_NONBLOCK) : -1
        defer { if reader >= 0 { close(reader) } }

        let before = info(path)
        var committed = false
        var failed = false
        var written: [UInt8] = []
        if let output = try? OutputFile(path: path) {
            var offset = 0
            var chunk = 1
            while offset < content.count && !failed {
                if let abandonAt, offset >= abandonAt { break }
                let end = min(content.count, offset + chunk)
                let text = String(decoding: content[offset..<end], as: UTF8.self)
                if output.write(text) != nil { failed = true }
                written += text.utf8
                offset = end
                chunk = chunk * 3 + 1
            }
            if failed || (abandonAt != nil && offset < content.count) {
                output.abandon()
            } else {
                committed = (try? output.commit()) != nil
            }
        } else {
            precondition(kind == .missingDirectory || kind == .symlinkLoop || (kind == .readOnlyDirectory && getuid() != 0),
                         "OutputFile refused a writable \(kind) path")
        }

        // The path keeps its kind.
        let after = info(path)
        switch kind {
        case .symlink, .danglingSymlink, .symlinkLoop:
            precondition(after?.kind == S_IFLNK, "a symlink was replaced")
        case .fifo:
            precondition(after?.kind == S_IFIFO, "a FIFO was replaced")
        case .devNull, .devFull:
            precondition(after?.kind == S_IFCHR && after?.inode == before?.inode, "a device was replaced")
        case .file, .readOnlyDirectory:
            precondition(after?.kind == S_IFREG && after?.mode == before?.mode, "a file's mode changed")
        case .newFile, .missingDirectory:
            break
        }
        // A file holds its old content or all of the new, and nothing else.
        if kind == .file || kind == .symlink || kind == .readOnlyDirectory {
            let now = read(target)
            precondition(now == (committed ? written : oldContent), "\(kind): the file holds neither its old nor its new content")
        }
        if kind == .newFile || kind == .danglingSymlink {
            precondition(committed == (access(target, F_OK) == 0), "\(kind): a file exists without a commit, or a commit left none")
        }
        // No temporary file is left anywhere in the tree.
        precondition(!leftovers(dir), "a temporary file was left behind")
        clean(dir)
    }

    static func directory() -> String {
        if let workDirectory { return workDirectory }
        var template = Array("/tmp/dmesgscan-fuzz-output-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { fatalError("mkdtemp") }
        let dir = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        workDirectory = dir
        atexit {
            if let dir = OutputFuzzTarget.workDirectory {
                OutputFuzzTarget.clean(dir)
                rmdir(dir)
            }
        }
        return dir
    }

    static func create(_ path: String, _ bytes: [UInt8], mode: mode_t) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        fchmod(fd, mode)
        close(fd)
    }

    static func info(_ path: String) -> (kind: mode_t, mode: mode_t, inode: UInt64)? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return (st.st_mode & S_IFMT, st.st_mode & 0o7777, UInt64(st.st_ino))
    }

    static func read(_ path: String) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return result }
            result += buffer[0..<n]
        }
    }

    static func entries(_ dir: String) -> [String] {
        guard let handle = opendir(dir) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func leftovers(_ dir: String) -> Bool {
        entries(dir).contains { name in
            name.contains(".dmesgscan-") || (info(dir + "/" + name)?.kind == S_IFDIR && leftovers(dir + "/" + name))
        }
    }

    static func clean(_ dir: String) {
        for name in entries(dir) {
            let path = dir + "/" + name
            if info(path)?.kind == S_IFDIR {
                chmod(path, 0o755)
                clean(path)
                rmdir(path)
            } else {
                unlink(path)
            }
        }
    }
}
