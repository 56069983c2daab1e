/// Frame names as titles use them: without syscall prefixes and compiler suffixes
/// (`frame_strip:`), and whether a frame is a helper that never explains a report
/// (`guilty_frame_skip:`, searched anywhere in the name as syzkaller does).
public final class FrameNamer {
    private let skip: PCRE2Regex?
    /// Each strip pattern with the literal its matches start with, if anchored: most are
    /// prefixes (`^__x64_`), checked by a byte compare before the regex runs (every frame
    /// line of every report is normalised).
    private let strip: [(regex: PCRE2Regex, prefix: [UInt8]?)]
    private let stallPatterns: [(regex: PCRE2Regex, name: String?)]
    /// Answers already found, by frame name: the skip list is one regex of hundreds of
    /// alternatives (about 8,000 instructions a name), and a stall's frames are each tried
    /// against every dispatcher pattern.
    private var skipped = BoundedMemo<Bool>()
    private var normalized = BoundedMemo<String>()
    private var stallAnswers = BoundedMemo<String?>()
    /// By first byte: whether a name that starts with it could begin with the literal prefix
    /// of a strip pattern. The patterns without one are `unanchoredStrip`.
    private let prefixCanStart: [Bool]
    private let unanchoredStrip: [PCRE2Regex]

    public init(skip: [String], strip: [String], stallAnchors: [AnchorFrame] = []) throws(PatternError) {
        self.skip = skip.isEmpty ? nil : try PCRE2Regex(skip.map { "(?:\($0))" }.joined(separator: "|"))
        self.stallPatterns = try FrameNamer.compile(stallAnchors)
        var compiled: [(regex: PCRE2Regex, prefix: [UInt8]?)] = []
        for pattern in strip {
            // An empty prefix tells nothing: such a pattern is tried on every name.
            let prefix = LiteralExtractor.anchoredPrefix(pattern).flatMap { $0.isEmpty || $0.contains("\\") ? nil : Array($0.utf8) }
            compiled.append((try PCRE2Regex(pattern), prefix))
        }
        self.strip = compiled
        var firsts = [Bool](repeating: false, count: 256)
        for (_, prefix) in compiled { if let first = prefix?.first { firsts[Int(first)] = true } }
        prefixCanStart = firsts
        unanchoredStrip = compiled.filter { $0.prefix == nil }.map(\.regex)
    }

    public func normalize(_ function: String) -> String {
        normalized.value(for: function) { stripped($0) }
    }

    /// `normalize` of a name read in place (a call-trace frame): most names have nothing to
    /// strip, which the patterns tell on the bytes as they are, so the name is made once and
    /// not hashed for the memo (about 800 instructions a frame).
    public func normalize(_ name: UnsafeRawBufferPointer) -> String {
        // No prefix can match (most names): only the unanchored patterns are tried.
        if let first = name.first, !prefixCanStart[Int(first)] {
            for regex in unanchoredStrip {
                if case .match = regex.match(name), let range = regex.groupRange(0), !range.isEmpty {
                    return normalize(String(decoding: name, as: UTF8.self))
                }
            }
            return String(decoding: name, as: UTF8.self)
        }
        for (regex, prefix) in strip {
            if let prefix {
                guard let first = prefix.first, name.count >= prefix.count, name[0] == first, name.starts(with: prefix) else { continue }
            }
            // A pattern that would strip something: the name goes the usual way, in order.
            if case .match = regex.match(name), let range = regex.groupRange(0), !range.isEmpty {
                return normalize(String(decoding: name, as: UTF8.self))
            }
        }
        return String(decoding: name, as: UTF8.self)
    }

    private func stripped(_ function: String) -> String {
        var bytes = Array(function.utf8)
        var changed = false
        for (regex, prefix) in strip {
            if let prefix, !bytes.starts(with: prefix) { continue }
            let range: Range<Int>? = bytes.withUnsafeMutableBytes { raw in
                if case .match = regex.match(UnsafeRawBufferPointer(raw)) { return regex.groupRange(0) }
                return nil
            }
            if let range, !range.isEmpty {
                bytes.removeSubrange(range)
                changed = true
            }
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : function
    }

    public func isSkipped(_ function: String) -> Bool {
        guard let skip else { return false }
        return skipped.value(for: function) { skip.matches($0) }
    }

    /// Whether `function` is a dispatcher (syscall entry, work or timer dispatch) that a
    /// stall's looping code runs under: nil when not; "" when the frame above it is to blame;
    /// the anchor's name when it names the stall itself.
    public func stallAnchor(_ function: String) -> String? {
        stallAnswers.value(for: function) { FrameNamer.anchor($0, in: stallPatterns) }
    }

    static func compile(_ anchors: [AnchorFrame]) throws(PatternError) -> [(regex: PCRE2Regex, name: String?)] {
        var compiled: [(regex: PCRE2Regex, name: String?)] = []
        for anchor in anchors { compiled.append((try PCRE2Regex(anchor.pattern), anchor.name)) }
        return compiled
    }

    static func anchor(_ function: String, in anchors: [(regex: PCRE2Regex, name: String?)]) -> String? {
        for anchor in anchors where anchor.regex.matches(function) { return anchor.name ?? "" }
        return nil
    }
}
