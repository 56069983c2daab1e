import CPCRE2
import Synchronization

/// A compiled and JIT-compiled pattern. PCRE2 code is read-only once compiled, and threads
/// may match with it at once, each with its own match data: so every `PCRE2Regex` of the
/// same pattern in the process shares one. (Each rule set compiled all its patterns anew,
/// and a scan builds two or more rule sets: the second was a fifth of start-up.)
final class PCRE2Code: @unchecked Sendable {
    let pointer: OpaquePointer
    let jitted: Bool
    /// Capture group names by group number.
    let groupNames: [(name: String, number: Int)]

    /// Patterns compiled so far, by their text. Bounded, so a program that compiles patterns
    /// without end (a fuzzer, a rule editor) keeps only the first ones.
    private static let cache = Mutex<[String: PCRE2Code]>([:])
    static let cacheLimit = 4096

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
        jitted = pcre2_jit_compile_8(pointer, PCRE2_JIT_COMPLETE) == 0
        groupNames = PCRE2Code.readGroupNames(pointer)
    }

    deinit { pcre2_code_free_8(pointer) }

    /// The shared code of `pattern`, compiled on first use. A pattern that does not compile
    /// is not kept: its error is thrown on each attempt.
    static func compiled(_ pattern: String) throws(PatternError) -> PCRE2Code {
        if let known = cache.withLock({ $0[pattern] }) { return known }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        let pointer = bytes.withUnsafeBufferPointer { buf in
            pcre2_compile_8(buf.baseAddress, buf.count, 0, &errorCode, &errorOffset, nil)
        }
        guard let pointer else {
            throw PatternError(code: errorCode, offset: errorOffset, message: PCRE2Regex.message(for: errorCode))
        }
        let code = PCRE2Code(pointer: pointer)
        // Two threads may have compiled the same pattern at once: the first one kept wins.
        return cache.withLock { cache in
            if let known = cache[pattern] { return known }
            if cache.count < cacheLimit { cache[pattern] = code }
            return code
        }
    }

    private static func readGroupNames(_ code: OpaquePointer) -> [(name: String, number: Int)] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table, count > 0 else { return [] }
        var names: [(String, Int)] = []
        for i in 0..<Int(count) {
            let entry = table + i * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            var length = 0
            while length < Int(entrySize) - 2 && entry[2 + length] != 0 { length += 1 }
            names.append((String(decoding: UnsafeBufferPointer(start: entry + 2, count: length), as: UTF8.self), number))
        }
        return names.sorted { $0.1 < $1.1 }
    }
}
