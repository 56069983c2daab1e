import CPCRE2
import Synchronization

/// A compiled pattern, JIT-compiled before its first match. PCRE2 code is read-only once
/// compiled, and threads may match with it at once, each with its own match data: so every
/// `PCRE2Regex` of the same pattern in the process shares one. (Each rule set compiled all
/// its patterns anew, and a scan builds two or more rule sets: the second was a fifth of
/// start-up.)
final class PCRE2Code: @unchecked Sendable {
    let pointer: OpaquePointer
    /// Capture group names by group number.
    let groupNames: [(name: String, number: Int)]

    /// Patterns compiled so far, by their text. Bounded, so a program that compiles patterns
    /// without end (a fuzzer, a rule editor) keeps only the first ones.
    private static let cache = Mutex<[String: PCRE2Code]>([:])
    static let cacheLimit = 4096

    private init(pointer: OpaquePointer) {
        self.pointer = pointer
        groupNames = PCRE2Code.readGroupNames(pointer)
    }

    /// 0 before the JIT compile, then 1 when it succeeded and 2 when it failed (the pattern
    /// is then interpreted).
    private let jitState = Atomic<UInt8>(0)
    private let jitCompile = Mutex<Void>(())

    /// JIT-compiles the pattern the first time any thread asks, and tells whether that
    /// worked. Done at first match, not at compile: a scan compiles every rule's pattern and
    /// most never run on a given log (JIT compiling them all was a tenth of a one-line scan's
    /// instructions). `pcre2_jit_compile` writes into the code, so no thread may match with
    /// it meanwhile: every match is preceded by this call, and the lock holds the others
    /// until the compile is done.
    func jitCompiled() -> Bool {
        var state = jitState.load(ordering: .acquiring)
        if state == 0 {
            state = jitCompile.withLock { _ in
                let now = jitState.load(ordering: .acquiring)
                if now != 0 { return now }
                let compiled: UInt8 = pcre2_jit_compile_8(pointer, PCRE2_JIT_COMPLETE) == 0 ? 1 : 2
                jitState.store(compiled, ordering: .releasing)
                return compiled
            }
        }
        return state == 1
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
