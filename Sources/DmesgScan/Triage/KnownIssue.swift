/// One entry of a known-issues file: what it matches (a title exactly, a regex over titles,
/// or an invariant's failures), on which kernels, why, and until when.
public struct KnownIssue: @unchecked Sendable {
    public var location: SourceLocation
    public var title: String?
    public var pattern: String?
    public var invariant: String?
    public var kernels: VersionRange?
    public var reason: String?
    public var link: String?
    /// `YYYY-MM-DD`: from the day after, the entry no longer matches and is listed as expired.
    public var expires: String?
    /// Seconds since the epoch at the end of the `expires` day (UTC).
    var expiresAt: Double?
    var regex: PCRE2Regex?

    public var mark: KnownMark {
        KnownMark(entry: "\(location.file):\(location.line)", reason: reason, link: link)
    }

    /// What the entry matches, as a person would name it.
    public var subject: String {
        if let invariant { return "invariant \(invariant)" + (pattern.map { " matching /\($0)/" } ?? "") }
        if let title { return "title \"\(title)\"" }
        return "titles matching /\(pattern ?? "")/"
    }

    func isExpired(at now: Double) -> Bool { expiresAt.map { now > $0 } ?? false }

    func kernelMatches(_ kernel: KernelVersion?) -> Bool {
        guard let kernels else { return true }
        guard let kernel else { return false }
        return kernels.contains(kernel)
    }

    func matches(title candidate: String) -> Bool {
        guard invariant == nil else { return false }
        if let title { return title == candidate }
        return regex?.matches(candidate) ?? false
    }

    func matches(invariant id: String, message: String) -> Bool {
        guard invariant == id else { return false }
        return regex.map { $0.matches(message) } ?? true
    }
}
