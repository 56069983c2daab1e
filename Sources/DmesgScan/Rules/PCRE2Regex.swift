import CPCRE2

/// An error compiling a pattern: PCRE2's message and the offset in the pattern.
public struct PatternError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let offset: Int
    public let message: String
    public var description: String { "\(message) (at pattern offset \(offset))" }
}

/// A PCRE2 pattern compiled with JIT in byte mode (never fails on invalid UTF-8), with
/// its own match data and JIT stack. Not shareable across threads: each worker makes its
/// own, over the compiled code that all of them share (`PCRE2Code`).
public final class PCRE2Regex {
    /// Held for its lifetime; its pointer is copied out, as each match reads it.
    private let shared: PCRE2Code
    private let code: OpaquePointer
    private let matchData: OpaquePointer
    private let context: OpaquePointer?
    /// Made at the first match: a scan builds hundreds of regexes (each rule set's, frame
    /// namers', stack plans') and most never run on a given log, while each stack is a
    /// mapping made at start-up and unmapped at exit (an inter-processor interrupt with
    /// other threads running): a one-line scan took 29 ms with them all, 26 ms without.
    private var jitStack: OpaquePointer?
    /// Whether the shared code was JIT-compiled: nil until the first match asks (`firstRun`).
    private var jitted: Bool?
    /// Capture group names by group number.
    public let groupNames: [(name: String, number: Int)]
    private static let emptySubject: [UInt8] = [0]

    public init(_ pattern: String) throws(PatternError) {
        shared = try PCRE2Code.compiled(pattern)
        code = shared.pointer
        groupNames = shared.groupNames
        matchData = pcre2_match_data_create_from_pattern_8(code, nil)
        // A JIT stack and match limits turn catastrophic backtracking into an error, not a hang.
        let ctx = pcre2_match_context_create_8(nil)
        context = ctx
        if let ctx {
            pcre2_set_match_limit_8(ctx, 1_000_000)
            pcre2_set_depth_limit_8(ctx, 10_000)
        }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        if let context { pcre2_match_context_free_8(context) }
    }

    public enum Outcome { case match, noMatch, error(Int32) }

    /// Runs the pattern on `subject`. After `.match`, `group(_:in:)` reads captures.
    public func match(_ subject: UnsafeRawBufferPointer, from offset: Int = 0) -> Outcome {
        let rc: Int32
        if subject.count == 0 {
            rc = PCRE2Regex.emptySubject.withUnsafeBufferPointer { empty in
                run(empty.baseAddress!, 0, 0)
            }
        } else {
            rc = run(subject.baseAddress!.assumingMemoryBound(to: UInt8.self), subject.count, offset)
        }
        if rc >= 0 { return .match }
        if rc == PCRE2_ERROR_NOMATCH { return .noMatch }
        return .error(rc)
    }

    @inline(__always) private func run(_ base: UnsafePointer<UInt8>, _ count: Int, _ offset: Int) -> Int32 {
        // A JIT stack is made only for JIT code, so once there is one, the code is JIT code.
        if jitStack != nil { return pcre2_jit_match_8(code, base, count, offset, 0, matchData, context) }
        return firstRun(base, count, offset)
    }

    /// A match before the JIT stack exists: the first (which JIT-compiles the shared code, if
    /// no other regex of the pattern has), or any of a pattern interpreted.
    @inline(never) private func firstRun(_ base: UnsafePointer<UInt8>, _ count: Int, _ offset: Int) -> Int32 {
        if jitted == nil { jitted = shared.jitCompiled() }
        if jitted == true {
            if let context { assignStack(context) }
            return pcre2_jit_match_8(code, base, count, offset, 0, matchData, context)
        }
        return pcre2_match_8(code, base, count, offset, 0, matchData, context)
    }

    private func assignStack(_ context: OpaquePointer) {
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 512 * 1024, nil)
        pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
    }

    /// Whether the pattern matches somewhere in `text` (matched in place: native strings
    /// are contiguous UTF-8).
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buf in
            if case .match = match(UnsafeRawBufferPointer(buf)) { return true }
            return false
        }
    }

    /// Replaces every match in `text` with `replacement(match)`; for short strings (titles).
    public func replaceAll(in text: String, _ replacement: (String) -> String) -> String {
        var text = text
        var output: [UInt8] = []
        var position = 0
        var replaced = false
        text.withUTF8 { buf in
            let subject = UnsafeRawBufferPointer(buf)
            while position <= subject.count, case .match = match(subject, from: position), let range = groupRange(0) {
                replaced = true
                output.append(contentsOf: subject[position..<range.lowerBound])
                output.append(contentsOf: replacement(String(decoding: subject[range], as: UTF8.self)).utf8)
                if range.isEmpty {
                    if range.upperBound < subject.count { output.append(subject[range.upperBound]) }
                    position = range.upperBound + 1
                } else {
                    position = range.upperBound
                }
            }
            if position < subject.count { output.append(contentsOf: subject[position...]) }
        }
        // Most titles have nothing to replace: the text itself, not a copy made and checked.
        return replaced ? String(decoding: output, as: UTF8.self) : text
    }

    /// The byte range of group `number` in the last matched subject, or nil when unset.
    public func groupRange(_ number: Int) -> Range<Int>? {
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let start = ovector[2 * number]
        let end = ovector[2 * number + 1]
        if start == Int(bitPattern: UInt.max) || end < start { return nil }
        return start..<end
    }

    public static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, 256) }
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "PCRE2 error \(code)"
    }
}
