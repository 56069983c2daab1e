#if canImport(Glibc)
import Glibc
#endif

/// Finds the shipped `rules/` directory: `$DMESGSCAN_RULES`, `share/dmesgscan/rules`
/// beside the installed binary, or the source checkout the binary was built in.
public enum RuleLocator {
    public static func defaultRulesDirectory() -> String? {
        if let env = getenv("DMESGSCAN_RULES") { return String(cString: env) }
        guard let exe = executablePath() else { return nil }
        var dir = parent(exe)
        let installed = parent(dir) + "/share/dmesgscan/rules"
        if isDirectory(installed) { return installed }
        // .build/<triple>/debug/dmesgscan → the checkout's rules/
        for _ in 0..<6 {
            if isDirectory(dir + "/rules") && access(dir + "/Package.swift", F_OK) == 0 { return dir + "/rules" }
            dir = parent(dir)
            if dir == "/" || dir.isEmpty { break }
        }
        return nil
    }

    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, 4095)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
