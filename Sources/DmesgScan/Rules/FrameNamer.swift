/// Frame names as titles use them: without syscall prefixes and compiler suffixes
/// (`frame_strip:`), and whether a frame is a helper that never explains a report
/// (`guilty_frame_skip:`, searched anywhere in the name as syzkaller does).
public final class FrameNamer {
    private let skip: PCRE2Regex?
    private let strip: [PCRE2Regex]

    public init(skip: [String], strip: [String]) throws(PatternError) {
        self.skip = skip.isEmpty ? nil : try PCRE2Regex(skip.map { "(?:\($0))" }.joined(separator: "|"))
        var compiled: [PCRE2Regex] = []
        for pattern in strip { compiled.append(try PCRE2Regex(pattern)) }
        self.strip = compiled
    }

    public func normalize(_ function: String) -> String {
        var name = function
        for regex in strip {
            var bytes = Array(name.utf8)
            let range: Range<Int>? = bytes.withUnsafeMutableBytes { raw in
                if case .match = regex.match(UnsafeRawBufferPointer(raw)) { return regex.groupRange(0) }
                return nil
            }
            if let range, !range.isEmpty {
                bytes.removeSubrange(range)
                name = String(decoding: bytes, as: UTF8.self)
            }
        }
        return name
    }

    public func isSkipped(_ function: String) -> Bool {
        guard let skip else { return false }
        var bytes = Array(function.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            if case .match = skip.match(UnsafeRawBufferPointer(raw)) { return true }
            return false
        }
    }
}
