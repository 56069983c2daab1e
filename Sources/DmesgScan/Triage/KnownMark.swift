/// Why a finding or verdict is expected: the known-issues entry that matched it.
public struct KnownMark: Sendable, Equatable {
    /// `file:line` of the entry.
    public var entry: String
    public var reason: String?
    public var link: String?

    public init(entry: String, reason: String?, link: String?) {
        self.entry = entry
        self.reason = reason
        self.link = link
    }

    /// `known: reason (link)`, for text outputs.
    public var summary: String {
        var text = "known: " + (reason ?? "listed in \(entry)")
        if let link { text += " (\(link))" }
        return text
    }
}
