/// What a run says about its known-issues file at the end: entries that matched nothing
/// (stale) and entries past their date (expired), so that the file stays honest.
public struct KnownIssueReport: Sendable {
    public struct Entry: Sendable {
        public var entry: String
        public var subject: String
        public var expires: String?
    }

    public var file: String
    public var entries: Int
    public var stale: [Entry]
    public var expired: [Entry]

    public init(_ list: KnownIssueList, file: String) {
        func entry(_ issue: KnownIssue) -> Entry {
            Entry(entry: issue.mark.entry, subject: issue.subject, expires: issue.expires)
        }
        self.file = file
        self.entries = list.entries.count
        self.stale = list.stale.map(entry)
        self.expired = list.expired.map(entry)
    }

    public var json: JSONValue {
        func listed(_ list: [Entry]) -> JSONValue {
            .array(list.map { e in
                .object([("entry", .string(e.entry)), ("subject", .string(e.subject))] + (e.expires.map { [("expires", .string($0))] } ?? []))
            })
        }
        return .object([("file", .string(file)), ("entries", .int(entries)), ("stale", listed(stale)), ("expired", listed(expired))])
    }

    /// One line per stale or expired entry, for stderr and the text summary.
    public var notices: [String] {
        stale.map { "\($0.entry): known issue matched nothing in this run (stale): \($0.subject)" }
            + expired.map { "\($0.entry): known issue expired on \($0.expires ?? "?"), no longer applied: \($0.subject)" }
    }
}
