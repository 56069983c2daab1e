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

    public init(skip: [String], strip: [String], stallAnchors: [AnchorFrame] = []) throws(PatternError) {
        self.skip = skip.isEmpty ? nil : try PCRE2Regex(skip.map { "(?:\($0))" }.joined(separator: "|"))
        self.stallPatterns = try FrameNamer.compile(stallAnchors)
        var compiled: [(regex: PCRE2Regex, prefix: [UInt8]?)] = []
        for pattern in strip {
            let prefix = LiteralExtractor.anchoredPrefix(pattern).flatMap { $0.contains("\\") ? nil : Array($0.utf8) }
            compiled.append((try PCRE2Regex(pattern), prefix))
        }
        self.strip = compiled
    }

    public func normalize(_ function: String) -> String {
        normalized.value(for: function) { stripped($0) }
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
